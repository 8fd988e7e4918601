/**
 * The engine's ApiReporter against the real API: flows run in child processes, events travel over
 * real sockets into a real SQLite file; commands come back the same way.
 */
import type { FlowRunDetail, TaskRunDetail, TaskRunSummary } from '@flowlight/schema';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { eventually, getJson, postJson, runFlowProcess, startApi, tempDb, type FlowProcess } from './harness.js';

let servers: RunningServer[] = [];
let procs: FlowProcess[] = [];
afterEach(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
  servers = [];
  procs = [];
});
const api = async (db: string, port = 0, env: Record<string, string> = {}) => {
  const s = await startApi(db, port, env);
  servers.push(s);
  return s;
};
const run = (url: string, args: string[], env: Record<string, string> = {}) => {
  const p = runFlowProcess(url, args, env);
  procs.push(p);
  return p;
};
const names = (states: { name: string }[]) => states.map((s) => s.name);

describe('engine → API', () => {
  it('a flow with 100 tasks lands with every state of every run in order', async () => {
    const server = await api(tempDb());
    const p = run(server.url, ['hundred', '100']);
    const id = await p.flowRunId;
    expect(await p.exit).toBe(0);
    const detail = await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`);
    expect(names(detail.states)).toEqual(['Pending', 'Running', 'Completed']);
    expect(detail.result?.text).toBe(String((99 * 100) / 2 * 2));
    const tasks = await getJson<TaskRunSummary[]>(`${server.url}/api/flow-runs/${id}/task-runs`);
    expect(tasks).toHaveLength(100);
    expect(new Set(tasks.map((t) => t.state.name))).toEqual(new Set(['Completed']));
    const one = await getJson<TaskRunDetail>(`${server.url}/api/task-runs/${tasks[0]!.id}`);
    expect(names(one.states)).toEqual(['Pending', 'Running', 'Completed']);
    const logs = await getJson<{ items: { message: string }[] }>(`${server.url}/api/flow-runs/${id}/logs?limit=100`);
    expect(logs.items.map((l) => l.message)).toEqual(Array.from({ length: 10 }, (_, i) => `step ${i * 10} done`));
  });

  it('a burst of huge log lines (more than one message may carry) lands completely', async () => {
    const server = await api(tempDb());
    const p = run(server.url, ['biglogs', '120']);
    const id = await p.flowRunId;
    expect(await p.exit).toBe(0);
    const detail = await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`);
    expect(detail.state.name).toBe('Completed');
    const logs = await getJson<{ items: { message: string }[] }>(`${server.url}/api/flow-runs/${id}/logs?limit=500`);
    expect(logs.items).toHaveLength(120);
    expect(logs.items.every((l) => l.message.length === 99_000)).toBe(true);
  });

  it('the API killed and restarted mid-run loses no event', async () => {
    const db = tempDb();
    const first = await api(db);
    const port = first.port;
    const p = run(first.url, ['sequential', '40', '50']);
    const id = await p.flowRunId;
    await eventually(async () => (await getJson<TaskRunSummary[]>(`${first.url}/api/flow-runs/${id}/task-runs`)).length >= 5);
    await first.close();
    servers = servers.filter((s) => s !== first);
    await new Promise((r) => setTimeout(r, 800)); // events pile up in the engine's buffer
    const second = await api(db, port);
    expect(await p.exit).toBe(0);
    const detail = await eventually(async () => {
      const d = await getJson<FlowRunDetail>(`${second.url}/api/flow-runs/${id}`);
      return d.state.name === 'Completed' && d;
    });
    expect(names(detail.states)).toEqual(['Pending', 'Running', 'Completed']);
    const tasks = await getJson<TaskRunSummary[]>(`${second.url}/api/flow-runs/${id}/task-runs`);
    expect(tasks).toHaveLength(40);
    for (const t of tasks) {
      const d = await getJson<TaskRunDetail>(`${second.url}/api/task-runs/${t.id}`);
      expect(names(d.states)).toEqual(['Pending', 'Running', 'Completed']);
    }
  });

  it('a flow process killed with SIGKILL ends Crashed when its heartbeat stops', async () => {
    const server = await api(tempDb(), 0, { FLOWLIGHT_HEARTBEAT_GRACE_SECONDS: '1' });
    const p = run(server.url, ['sequential', '1000', '100'], { FLOWLIGHT_HEARTBEAT_SECONDS: '0.2' });
    const id = await p.flowRunId;
    await eventually(async () => (await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`)).state.name === 'Running');
    p.child.kill('SIGKILL');
    const detail = await eventually(async () => {
      const d = await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`);
      return d.state.type === 'CRASHED' && d;
    }, 15_000, 'Crashed');
    expect(detail.state.message).toMatch(/heartbeat/i);
  });
});

describe('commands through real sockets', () => {
  it('pause from the API pauses at the next task boundary; resume lets it finish', async () => {
    const server = await api(tempDb());
    const p = run(server.url, ['sequential', '30', '100']);
    const id = await p.flowRunId;
    await eventually(async () => (await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`)).state.name === 'Running');
    const paused = await postJson<{ delivered: boolean }>(`${server.url}/api/flow-runs/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.delivered).toBe(true);
    await eventually(async () => (await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`)).state.name === 'Paused', 10_000, 'Paused');
    const countWhilePaused = (await getJson<TaskRunSummary[]>(`${server.url}/api/flow-runs/${id}/task-runs`)).length;
    await new Promise((r) => setTimeout(r, 400));
    // no new task run starts while paused (the one waiting at the boundary stays Pending)
    const tasksPaused = await getJson<TaskRunSummary[]>(`${server.url}/api/flow-runs/${id}/task-runs`);
    expect(tasksPaused.length).toBe(countWhilePaused);
    expect(tasksPaused.filter((t) => t.state.type === 'RUNNING')).toHaveLength(0);
    const resumed = await postJson<{ delivered: boolean }>(`${server.url}/api/flow-runs/${id}/resume`);
    expect(resumed.body.delivered).toBe(true);
    expect(await p.exit).toBe(0);
    const detail = await eventually(async () => {
      const d = await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`);
      return d.state.name === 'Completed' && d;
    });
    expect(names(detail.states)).toEqual(['Pending', 'Running', 'Paused', 'Running', 'Completed']);
  });

  it('set-state from the API ends the run there and stops the user code in its process', async () => {
    const server = await api(tempDb());
    const p = run(server.url, ['sequential', '1000', '100']); // ~100 s if nothing stops it
    const id = await p.flowRunId;
    await eventually(async () => (await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`)).state.name === 'Running');
    const res = await postJson<{ state: { name: string } }>(`${server.url}/api/flow-runs/${id}/set-state`, { type: 'FAILED', message: 'stopped by an operator' });
    expect(res.status).toBe(200);
    expect(await p.exit).toBe(0); // the process got the cancel and its flow ended
    const detail = await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`);
    expect(detail.state).toMatchObject({ name: 'Failed', message: 'stopped by an operator' });
    const tasks = await getJson<TaskRunSummary[]>(`${server.url}/api/flow-runs/${id}/task-runs`);
    expect(tasks.length).toBeLessThan(100);
  });

  it('cancel from the API: Cancelling, then Cancelled; a resume of a finished run is refused with 409', async () => {
    const server = await api(tempDb());
    const p = run(server.url, ['sequential', '100', '100']);
    const id = await p.flowRunId;
    await eventually(async () => (await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`)).state.name === 'Running');
    const res = await postJson<{ delivered: boolean }>(`${server.url}/api/flow-runs/${id}/cancel`);
    expect(res.body.delivered).toBe(true);
    expect(await p.exit).toBe(0);
    const detail = await eventually(async () => {
      const d = await getJson<FlowRunDetail>(`${server.url}/api/flow-runs/${id}`);
      return d.state.name === 'Cancelled' && d;
    });
    expect(names(detail.states)).toEqual(['Pending', 'Running', 'Cancelling', 'Cancelled']);
    const again = await postJson<{ error: string }>(`${server.url}/api/flow-runs/${id}/resume`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/Cancelled|CANCELLED|paused/i);
  });
});
