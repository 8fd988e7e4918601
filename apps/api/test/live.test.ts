import { describe, expect, it } from 'vitest';
import type { DeltaBatch, TaskRunSummary } from '@flowlight/schema';
import {
  Events,
  connectEngine,
  connectUi,
  sendEvents,
  startTestServer,
  waitFor,
  useTestServer,
  type TestServer,
  type UiSocket,
} from './helpers.js';

let srv: TestServer;
useTestServer((s) => (srv = s));

async function subscribed(ui: UiSocket, room: string) {
  await waitFor(async () => (await srv.app.io.of('/ui').in(room).fetchSockets()).some((s) => s.id === ui.id));
}

describe('/ui live deltas', () => {
  it('coalesces a burst of 10,000 task transitions into a few batches with increasing cursors', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const ui = await connectUi(srv.url);
    const id = 'live-burst';
    const runs: DeltaBatch[] = [];
    const detail: DeltaBatch[] = [];
    ui.on('delta', (b) => {
      (b.flowRuns.some((r) => r.id === id) && b.taskRuns.length === 0 && b.logs.length === 0 ? runs : detail).push(b);
    });
    ui.emit('subscribe', { room: 'runs' });
    ui.emit('subscribe', { room: 'run', flowRunId: id });
    await subscribed(ui, 'runs');
    await subscribed(ui, `run:${id}`);

    const events: unknown[] = [ev.flow(id, 'RUNNING')];
    const TASKS = 3334;
    for (let i = 0; i < TASKS; i++) {
      const t = `${id}-t${i}`;
      events.push(ev.task(t, id, 'PENDING'), ev.task(t, id, 'RUNNING'), ev.task(t, id, 'COMPLETED'));
    }
    events.push(ev.log(id, 'all done'));
    let batches = 0;
    await Promise.all(
      Array.from({ length: Math.ceil(events.length / 500) }, (_, i) => {
        batches++;
        return sendEvents(engine, events.slice(i * 500, i * 500 + 500));
      }),
    );
    const latest = new Map<string, TaskRunSummary>();
    await waitFor(() => {
      for (const b of detail) for (const t of b.taskRuns) latest.set(t.id, t);
      return latest.size === TASKS && [...latest.values()].every((t) => t.state.type === 'COMPLETED');
    });
    const all = [...runs, ...detail].sort((a, b) => a.cursor - b.cursor);
    // One message per room per window at most: never more than the batches the engine sent.
    expect(detail.length).toBeLessThanOrEqual(batches);
    expect(runs.length).toBeLessThanOrEqual(batches);
    expect(new Set(all.map((b) => b.cursor)).size).toBe(all.length);
    const lastRun = all.flatMap((b) => b.flowRuns).filter((r) => r.id === id).pop()!;
    expect(lastRun.taskStateCounts).toEqual({ COMPLETED: TASKS });
    expect(detail.flatMap((b) => b.logs).map((l) => l.message)).toEqual(['all done']);
  });

  it('catchUp returns what a reconnecting browser missed, or reset when the cursor is unknown', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    let ui = await connectUi(srv.url);
    const seen: DeltaBatch[] = [];
    ui.on('delta', (b) => seen.push(b));
    ui.emit('subscribe', { room: 'runs' });
    await subscribed(ui, 'runs');
    await sendEvents(engine, [ev.flow('cu-1', 'RUNNING')]);
    await waitFor(() => seen.some((b) => b.flowRuns.some((r) => r.id === 'cu-1')));
    const cursor = seen[seen.length - 1]!.cursor;
    ui.close();

    await sendEvents(engine, [ev.flow('cu-1', 'COMPLETED'), ev.flow('cu-2', 'RUNNING')]);
    await waitFor(() => srv.app.hub.currentCursor > cursor);
    ui = await connectUi(srv.url);
    ui.emit('subscribe', { room: 'runs' });
    await subscribed(ui, 'runs');
    const res = await ui.emitWithAck('catchUp', cursor);
    expect(res.reset).toBe(false);
    expect(res.batch!.cursor).toBeGreaterThan(cursor);
    expect(res.batch!.flowRuns.map((r) => [r.id, r.state.type]).sort()).toEqual([
      ['cu-1', 'COMPLETED'],
      ['cu-2', 'RUNNING'],
    ]);
    expect(await ui.emitWithAck('catchUp', 0)).toEqual({ reset: true, batch: null });
    // A one-run room nobody watched while the browser was away cannot be replayed: reset.
    const before = srv.app.hub.currentCursor;
    await sendEvents(engine, [ev.flow('cu-2', 'COMPLETED')]);
    await waitFor(() => srv.app.hub.currentCursor > before);
    ui.emit('subscribe', { room: 'run', flowRunId: 'cu-2' });
    await subscribed(ui, 'run:cu-2');
    expect(await ui.emitWithAck('catchUp', before)).toEqual({ reset: true, batch: null });
    expect(await ui.emitWithAck('catchUp', 'x' as unknown as number)).toEqual({ reset: true, batch: null });
  });

  it('ignores malformed subscriptions', async () => {
    const ui = await connectUi(srv.url);
    ui.emit('subscribe', { room: 'run' } as never);
    ui.emit('subscribe', 'runs' as never);
    ui.emit('subscribe', { room: 'run', flowRunId: 'x'.repeat(1000) } as never);
    const res = await ui.emitWithAck('catchUp', srv.app.hub.currentCursor);
    expect(res.reset).toBe(false);
    const sock = (await srv.app.io.of('/ui').fetchSockets()).find((s) => s.id === ui.id)!;
    expect([...sock.rooms]).toEqual([ui.id]);
  });

  it('keeps the catch-up ring bounded: a browser away too long is told to reset', async () => {
    const small = await startTestServer({ delta: { maxRingItems: 50 } });
    try {
      const ev = new Events();
      const engine = await connectEngine(small.url);
      const ui = await connectUi(small.url);
      const got: DeltaBatch[] = [];
      ui.on('delta', (b) => got.push(b));
      ui.emit('subscribe', { room: 'runs' });
      await waitFor(async () => (await small.app.io.of('/ui').in('runs').fetchSockets()).length === 1);
      const start = small.app.hub.currentCursor;
      for (let i = 0; i < 10; i++) {
        await sendEvents(engine, Array.from({ length: 20 }, (_, k) => ev.flow(`ring-${i}-${k}`, 'RUNNING')));
        await waitFor(() => got.length === i + 1);
      }
      expect(await ui.emitWithAck('catchUp', start)).toEqual({ reset: true, batch: null });
      const recent = await ui.emitWithAck('catchUp', got[got.length - 1]!.cursor - 1);
      expect(recent.reset).toBe(false);
      expect(recent.batch!.flowRuns).toHaveLength(20);
    } finally {
      await small.close();
    }
  });
});
