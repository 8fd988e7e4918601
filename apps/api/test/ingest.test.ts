import { describe, expect, it } from 'vitest';
import { toWire, type FlowlightEvent, type FlowRunDetail, type TaskRunDetail, type TaskRunSummary } from '@flowlight/schema';
import {
  Events,
  connectEngine,
  getJson,
  postEvents,
  sendEvents,
  useTestServer,
  type TestServer,
} from './helpers.js';

let srv: TestServer;
useTestServer((s) => (srv = s));

describe('ingest', () => {
  it('a flow with 100 tasks lands with every state in order', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const flowId = 'flow-100';
    const batch: unknown[] = [ev.flow(flowId, 'PENDING'), ev.flow(flowId, 'RUNNING')];
    for (let i = 0; i < 100; i++) {
      const t = `${flowId}-t${i}`;
      batch.push(
        ev.task(t, flowId, 'PENDING', { info: { mapIndex: i } }),
        ev.task(t, flowId, 'RUNNING', { info: { mapIndex: i } }),
      );
      if (i % 10 === 3) {
        batch.push(
          ev.task(t, flowId, 'SCHEDULED', { name: 'AwaitingRetry', info: { mapIndex: i } }),
          ev.task(t, flowId, 'RUNNING', { name: 'Retrying', attempt: 2, info: { mapIndex: i } }),
        );
      }
      batch.push(ev.task(t, flowId, i === 99 ? 'FAILED' : 'COMPLETED', { attempt: i % 10 === 3 ? 2 : 1, info: { mapIndex: i } }));
      batch.push(ev.log(flowId, `finished task ${i}`, { taskRunId: t }));
    }
    batch.push(ev.flow(flowId, 'FAILED', { message: 'task 99 failed' }));
    // Sent in small batches in the wire form, as the engine's reporter would: a task run's states
    // in one batch travel as one group.
    for (let i = 0; i < batch.length; i += 37) {
      const ack = await sendEvents(engine, toWire(batch.slice(i, i + 37) as FlowlightEvent[]));
      expect(ack).toMatchObject({ duplicates: 0, rejected: [] });
    }
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${flowId}`);
    expect(run.state).toMatchObject({ type: 'FAILED', name: 'Failed', message: 'task 99 failed' });
    expect(run.states.map((s) => s.type)).toEqual(['PENDING', 'RUNNING', 'FAILED']);
    expect(run.taskRunCount).toBe(100);
    expect(run.taskStateCounts).toEqual({ COMPLETED: 99, FAILED: 1 });
    expect(run.startTime).not.toBeNull();
    expect(run.durationMs).toBe(run.endTime! - run.startTime!);

    const tasks = await getJson<TaskRunSummary[]>(`${srv.url}/api/flow-runs/${flowId}/task-runs`);
    expect(tasks).toHaveLength(100);
    const retried = await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/${flowId}-t13`);
    expect(retried.states.map((s) => s.name)).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
    expect(retried.attempts).toBe(2);
    expect(retried.mapIndex).toBe(13);
  });

  it('ignores duplicate ids and never lets an older seq overwrite a newer state', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const pending = ev.flow('dup-1', 'PENDING');
    const running = ev.flow('dup-1', 'RUNNING');
    const completed = ev.flow('dup-1', 'COMPLETED');
    // Arrives out of order: Completed first, then Running (older seq), then everything again.
    expect(await sendEvents(engine, [pending, completed])).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await sendEvents(engine, [running])).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await sendEvents(engine, [pending, running, completed])).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/dup-1`);
    expect(run.state.type).toBe('COMPLETED');
    // The late Running is kept in the history, in seq order, but never made current.
    expect(run.states.map((s) => s.name)).toEqual(['Pending', 'Running', 'Completed']);
    // Same over HTTP.
    expect(await postEvents(srv.url, [completed])).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('does the same for a task run: duplicates ignored, a late older state kept in its history only', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const f = 'dup-f';
    const [pending, running, completed] = (['PENDING', 'RUNNING', 'COMPLETED'] as const).map((t) => ev.task('dup-t', f, t));
    expect(await sendEvents(engine, [ev.flow(f, 'RUNNING'), pending, completed])).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(await sendEvents(engine, [running])).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await sendEvents(engine, toWire([pending!, running!, completed!]))).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    const task = await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/dup-t`);
    expect(task.state.name).toBe('Completed');
    expect(task.states.map((s) => s.name)).toEqual(['Pending', 'Running', 'Completed']);
    expect(task.startTime).toBeNull(); // the late Running never became current
    // an illegal move (Completed → Running at a newer seq) is rejected and leaves no trace
    const illegal = ev.task('dup-t', f, 'RUNNING');
    expect(await sendEvents(engine, [illegal])).toMatchObject({ accepted: 0, rejected: [{ id: illegal.id }] });
    expect((await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/dup-t`)).states).toHaveLength(3);
  });

  it('rejects an illegal transition with its reason, logs it, and does not apply it', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    await sendEvents(engine, [ev.flow('ill-1', 'RUNNING'), ev.flow('ill-1', 'COMPLETED')]);
    const bad = ev.flow('ill-1', 'RUNNING');
    const ack = await sendEvents(engine, [bad]);
    expect(ack).toMatchObject({ accepted: 0, rejected: [{ id: bad.id, index: 0 }] });
    const reason = (ack as { rejected: { reason: string }[] }).rejected[0]!.reason;
    expect(reason).toMatch(/COMPLETED/);
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/ill-1`);
    expect(run.state.type).toBe('COMPLETED');
    expect(run.states).toHaveLength(2);
    expect(srv.logLines.some((l) => l.includes('event rejected') && l.includes('ill-1'))).toBe(true);
  });

  it('treats a group of task-run states exactly as the events it stands for, rejections included', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const f = 'grp-f';
    const t1 = [ev.task('grp-t1', f, 'PENDING'), ev.task('grp-t1', f, 'RUNNING'), ev.task('grp-t1', f, 'COMPLETED')];
    const illegal = ev.task('grp-t1', f, 'RUNNING'); // Completed → Running: not allowed
    const t2 = [ev.task('grp-t2', f, 'PENDING'), ev.task('grp-t2', f, 'RUNNING')];
    const wire = toWire([ev.flow(f, 'RUNNING'), ...t1, t2[0]!, illegal, t2[1]!] as FlowlightEvent[]);
    expect(wire.map((e) => e.kind)).toEqual(['flow-run-state', 'task-run-states', 'task-run-states']);
    const ack = await sendEvents(engine, wire);
    expect(ack).toMatchObject({ accepted: 6, duplicates: 0, rejected: [{ id: illegal.id, index: 1 }] });
    expect(await sendEvents(engine, wire)).toMatchObject({ accepted: 0, duplicates: 6 });

    const t1Detail = await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/grp-t1`);
    expect(t1Detail.states.map((s) => s.name)).toEqual(['Pending', 'Running', 'Completed']);
    expect((await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/grp-t2`)).state.name).toBe('Running');
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${f}`);
    expect(run.taskStateCounts).toEqual({ COMPLETED: 1, RUNNING: 1 });

    // A malformed group is rejected whole, naming the field.
    const broken = { ...(wire[2] as object), states: [] };
    const res = await sendEvents(engine, [broken]);
    expect(res).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: expect.stringContaining('states') }] });
  });

  it('answers a malformed batch with { error } and keeps the socket', async () => {
    const engine = await connectEngine(srv.url);
    expect(await sendEvents(engine, 'nope' as unknown as unknown[])).toEqual({ error: expect.any(String) });
    expect(await sendEvents(engine, Array.from({ length: 5001 }, () => ({})))).toEqual({
      error: expect.stringContaining('5000'),
    });
    // the engine's form: the batch's JSON bytes
    const notJson = new TextEncoder().encode('[{"kind":');
    expect(await sendEvents(engine, notJson as unknown as unknown[])).toEqual({ error: expect.stringContaining('not JSON') });
    const ev = new Events();
    const asBytes = new TextEncoder().encode(JSON.stringify([ev.flow('bytes-1', 'RUNNING'), ev.log('bytes-1', 'hello')]));
    expect(await sendEvents(engine, asBytes as unknown as unknown[])).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    // ... in chunks, one transaction
    const chunks = [[ev.log('bytes-1', 'one')], [ev.log('bytes-1', 'two'), ev.log('bytes-1', 'three')]].map((c) => new TextEncoder().encode(JSON.stringify(c)));
    expect(await sendEvents(engine, chunks)).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const notArray = [new TextEncoder().encode('{"kind":"log"}')];
    expect(await sendEvents(engine, notArray)).toEqual({ error: expect.stringContaining('not JSON or not an array') });
    const mixed = await sendEvents(engine, [null, 42, { kind: 'log', id: 'x' }, { kind: 'nope' }]);
    expect(mixed).toMatchObject({ accepted: 0, duplicates: 0 });
    expect((mixed as { rejected: unknown[] }).rejected).toHaveLength(4);
    expect(engine.connected).toBe(true);
  });

  it('stores a task run whose flow run arrives later, and counts it then', async () => {
    const ev = new Events();
    await postEvents(srv.url, [ev.task('late-t1', 'late-f', 'RUNNING'), ev.task('late-t2', 'late-f', 'COMPLETED')]);
    expect((await fetch(`${srv.url}/api/flow-runs/late-f`)).status).toBe(404);
    expect((await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/late-t1`)).flowRunId).toBe('late-f');
    await postEvents(srv.url, [ev.flow('late-f', 'RUNNING'), ev.task('late-t1', 'late-f', 'COMPLETED')]);
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/late-f`);
    expect(run.taskRunCount).toBe(2);
    expect(run.taskStateCounts).toEqual({ COMPLETED: 2 });
  });

  it('keeps parameters, result, error with its stack, parent and children', async () => {
    const ev = new Events();
    const params = { text: '{"city":"Lyon"}', type: 'object', exact: true, truncated: false };
    await postEvents(srv.url, [
      ev.flow('parent-1', 'RUNNING', { info: { parameters: params, tags: ['nightly'] } }),
      ev.flow('child-1', 'RUNNING', { info: { parentFlowRunId: 'parent-1', name: 'child' } }),
      ev.flow('child-1', 'FAILED', {
        info: { parentFlowRunId: 'parent-1', name: 'child' },
        extra: { error: { name: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at step (flow.ts:3:9)' } },
      }),
      ev.flow('parent-1', 'COMPLETED', {
        info: { parameters: params, tags: ['nightly'] },
        extra: { result: { text: '42', type: 'number', exact: true, truncated: false } },
      }),
    ]);
    const parent = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/parent-1`);
    expect(parent.parameters).toEqual(params);
    expect(parent.result?.text).toBe('42');
    expect(parent.tags).toEqual(['nightly']);
    expect(parent.children.map((c) => [c.id, c.state.type])).toEqual([['child-1', 'FAILED']]);
    const child = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/child-1`);
    expect(child.parent?.id).toBe('parent-1');
    expect(child.error).toMatchObject({ name: 'TypeError', message: 'boom', stack: expect.stringContaining('flow.ts:3:9') });
  });

  it('keeps a task run’s parameters and result as sent, whole or cut short', async () => {
    const ev = new Events();
    const params = { text: '[1,"two"]', type: 'array', exact: true, truncated: false };
    const cut = { text: 'Map(3) { "a" => 1, …', type: 'Map', exact: false, truncated: true };
    await postEvents(srv.url, [
      ev.flow('prev-f', 'RUNNING'),
      ev.task('prev-t', 'prev-f', 'PENDING', { info: { parameters: params } }),
      ev.task('prev-t', 'prev-f', 'RUNNING'),
      ev.task('prev-t', 'prev-f', 'COMPLETED', { extra: { result: cut } }),
    ]);
    const t = await getJson<TaskRunDetail>(`${srv.url}/api/task-runs/prev-t`);
    expect([t.parameters, t.result]).toEqual([params, cut]);
  });
});
