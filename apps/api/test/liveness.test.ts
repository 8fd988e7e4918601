import { afterEach, describe, expect, it } from 'vitest';
import type { FlowRunDetail, TaskRunSummary } from '@flowlight/schema';
import {
  Events,
  closeSockets,
  connectEngine,
  getJson,
  postEvents,
  sendEvents,
  startTestServer,
  tempDir,
  type TestServer,
} from './helpers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  closeSockets();
  for (const s of servers.splice(0)) await s.close();
});

describe('heartbeats', () => {
  it('a run whose heartbeat stops past the grace becomes Crashed, with its unfinished tasks', async () => {
    // The server reads time from an injected clock, so the test decides when the grace has passed.
    let clock = 1_800_000_000_000;
    const srv = await startTestServer({ graceMs: 300, now: () => clock });
    servers.push(srv);
    const ev = new Events();
    await postEvents(srv.url, [
      ev.flow('hb-dead', 'RUNNING'),
      ev.task('hb-dead-t1', 'hb-dead', 'RUNNING'),
      ev.task('hb-dead-t2', 'hb-dead', 'COMPLETED'),
      ev.flow('hb-alive', 'RUNNING'),
      ev.flow('hb-done', 'COMPLETED'),
    ]);
    clock += 200;
    await postEvents(srv.url, [ev.heartbeat('hb-alive')]);
    expect(srv.app.checkHeartbeats()).toBe(0);
    clock += 200; // hb-dead silent for 400 ms, hb-alive for 200 ms
    srv.app.checkHeartbeats(); // (the server's own timer may have run it already)
    const dead = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/hb-dead`);
    expect(dead.state.message).toMatch(/heartbeat stopped/);
    expect(dead.states.map((s) => s.name)).toEqual(['Running', 'Crashed']);
    const tasks = await getJson<TaskRunSummary[]>(`${srv.url}/api/flow-runs/hb-dead/task-runs`);
    expect(tasks.map((t) => [t.id, t.state.type])).toEqual([
      ['hb-dead-t1', 'CRASHED'],
      ['hb-dead-t2', 'COMPLETED'],
    ]);
    expect((await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/hb-alive`)).state.type).toBe('RUNNING');
    expect((await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/hb-done`)).state.type).toBe('COMPLETED');
    // A late engine event cannot move the Crashed run back: the seq the API used is stale,
    // a higher one is an illegal transition.
    const stale = ev.flow('hb-dead', 'RUNNING');
    expect((await postEvents(srv.url, [stale])).rejected[0]!.reason).toMatch(/stale/);
    const newer = { ...ev.flow('hb-dead', 'RUNNING'), seq: 99 };
    expect((await postEvents(srv.url, [newer])).rejected).toHaveLength(1);
    expect((await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/hb-dead`)).state.type).toBe('CRASHED');
  });

  it('on start, runs left live by a previous server are resolved: Crashed, or Failed past their pause timeout', async () => {
    const dir = tempDir();
    const first = await startTestServer({ dir });
    const ev = new Events();
    await postEvents(first.url, [ev.flow('left-1', 'RUNNING'), ev.flow('left-2', 'RUNNING'), ev.flow('left-2', 'PAUSED')]);
    await first.close();
    await new Promise((r) => setTimeout(r, 150));
    const second = await startTestServer({ dir, graceMs: 100 });
    servers.push(second);
    const running = await getJson<FlowRunDetail>(`${second.url}/api/flow-runs/left-1`);
    expect(running.state.type).toBe('CRASHED');
    // a paused run whose process is gone fails at its pause timeout (long past here), not as a crash
    const paused = await getJson<FlowRunDetail>(`${second.url}/api/flow-runs/left-2`);
    expect(paused.state.type).toBe('FAILED');
    expect(paused.state.message).toContain('never resumed');
  });
});

describe('restart', () => {
  it('the API restarted on the same database mid-stream loses nothing', async () => {
    const dir = tempDir();
    let srv = await startTestServer({ dir });
    const ev = new Events();
    const flow = 'restart-1';
    const all: unknown[] = [ev.flow(flow, 'PENDING'), ev.flow(flow, 'RUNNING')];
    for (let i = 0; i < 200; i++) {
      all.push(ev.task(`${flow}-t${i}`, flow, 'RUNNING'), ev.log(flow, `step ${i}`, { taskRunId: `${flow}-t${i}` }));
      all.push(ev.task(`${flow}-t${i}`, flow, 'COMPLETED'));
    }
    all.push(ev.flow(flow, 'COMPLETED'));
    // The engine sends batches; halfway the API is closed and a new one opens the same file.
    // Batches sent while it was down are resent (some twice, as a reconnecting client may).
    const chunks: unknown[][] = [];
    for (let i = 0; i < all.length; i += 50) chunks.push(all.slice(i, i + 50));
    let engine = await connectEngine(srv.url);
    const half = Math.floor(chunks.length / 2);
    for (const c of chunks.slice(0, half)) await sendEvents(engine, c);
    await srv.close();
    srv = await startTestServer({ dir });
    servers.push(srv);
    engine = await connectEngine(srv.url);
    for (const c of chunks.slice(half - 1)) {
      const ack = await sendEvents(engine, c);
      expect(ack).toMatchObject({ rejected: [] });
    }
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${flow}`);
    expect(run.state.type).toBe('COMPLETED');
    expect(run.taskRunCount).toBe(200);
    expect(run.taskStateCounts).toEqual({ COMPLETED: 200 });
    expect(run.states.map((s) => s.name)).toEqual(['Pending', 'Running', 'Completed']);
    const logs = await getJson<{ items: unknown[] }>(`${srv.url}/api/flow-runs/${flow}/logs?limit=1000`);
    expect(logs.items).toHaveLength(200);
    expect(srv.app.store.counts()).toMatchObject({ flowRuns: 1, taskRuns: 200 });
  });
});
