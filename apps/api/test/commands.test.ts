import { describe, expect, it } from 'vitest';
import type { BulkResponse, Command, CommandResponse, FlowRunDetail, ListFlowRunsResponse, TaskRunSummary } from '@flowlight/schema';
import {
  Events,
  call,
  connectEngine,
  getJson,
  postEvents,
  sendEvents,
  useTestServer,
  waitFor,
  type TestServer,
} from './helpers.js';

let srv: TestServer;
useTestServer((s) => (srv = s));

const post = (path: string, body?: unknown) => call(`${srv.url}${path}`, 'POST', body);
const state = async (id: string) => (await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${id}`)).state;

describe('pause, resume and cancel through a real engine socket', () => {
  it('round-trips: the engine receives each command, acks it, and reports the resulting state', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const id = 'cmd-1';
    await sendEvents(engine, [ev.flow(id, 'PENDING'), ev.flow(id, 'RUNNING'), ev.task('cmd-1-t', id, 'RUNNING')]);
    const received: Command[] = [];
    engine.on('command', (cmd, ack) => {
      received.push(cmd);
      ack({ ok: true });
      // The engine acts at a safe point and reports what happened.
      const next =
        cmd.command === 'pause'
          ? [ev.flow(id, 'PAUSED')]
          : cmd.command === 'resume'
            ? [ev.flow(id, 'RUNNING')]
            : [ev.flow(id, 'CANCELLING'), ev.task('cmd-1-t', id, 'CANCELLED'), ev.flow(id, 'CANCELLED')];
      setTimeout(() => void sendEvents(engine, next), 5);
    });
    engine.emit('attach', [id]);
    // attach is fire-and-forget: wait until the server has the socket in the room.
    await waitFor(async () => (await srv.app.engine.in(`flow-run:${id}`).fetchSockets()).length === 1);

    const pause = await post(`/api/flow-runs/${id}/pause`, { reason: 'maintenance' });
    expect(pause.status).toBe(200);
    expect(pause.body).toMatchObject({ ok: true, delivered: true });
    expect(received[0]).toMatchObject({ flowRunId: id, command: 'pause', reason: 'maintenance' });
    await waitFor(async () => (await state(id)).type === 'PAUSED');

    expect((await post(`/api/flow-runs/${id}/pause`)).status).toBe(409);
    const resume = await post(`/api/flow-runs/${id}/resume`);
    expect(resume.body).toMatchObject({ ok: true, delivered: true });
    await waitFor(async () => (await state(id)).type === 'RUNNING');

    const cancel = await post(`/api/flow-runs/${id}/cancel`);
    expect(cancel.body).toMatchObject({ ok: true, delivered: true });
    await waitFor(async () => (await state(id)).type === 'CANCELLED');
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${id}`);
    expect(run.states.map((s) => s.name)).toEqual(['Pending', 'Running', 'Paused', 'Running', 'Cancelling', 'Cancelled']);
    expect(received.map((c) => c.command)).toEqual(['pause', 'resume', 'cancel']);
    expect(srv.app.store.listCommands(id).map((c) => [c.command, c.delivered])).toEqual([
      ['pause', true],
      ['resume', true],
      ['cancel', true],
    ]);
  });

  it('after detach, the run’s process is not connected: pause 409, cancel resolves directly', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    const id = 'cmd-2';
    await sendEvents(engine, [ev.flow(id, 'RUNNING'), ev.task('cmd-2-t', id, 'RUNNING')]);
    engine.emit('attach', [id]);
    engine.emit('detach', [id]);
    await waitFor(async () => (await srv.app.engine.in(`flow-run:${id}`).fetchSockets()).length === 0);
    const pause = await post(`/api/flow-runs/${id}/pause`);
    expect(pause.status).toBe(409);
    expect(pause.body.error).toMatch(/not connected/);
    const cancel = await post(`/api/flow-runs/${id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ ok: true, delivered: false, state: { type: 'CANCELLED' } });
    expect(cancel.body.message).toMatch(/not connected/);
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${id}`);
    expect(run.state).toMatchObject({ type: 'CANCELLED', message: expect.stringMatching(/not connected/) });
    const tasks = await getJson<TaskRunSummary[]>(`${srv.url}/api/flow-runs/${id}/task-runs`);
    expect(tasks.map((t) => t.state.type)).toEqual(['CANCELLED']);
    // A late event from the old process with an older seq cannot revive it.
    const late = ev.flow(id, 'COMPLETED');
    late.seq = 1;
    await sendEvents(engine, [late]);
    expect((await state(id)).type).toBe('CANCELLED');
  });

  it('an engine that refuses gives 409 with its reason', async () => {
    const ev = new Events();
    const engine = await connectEngine(srv.url);
    await sendEvents(engine, [ev.flow('cmd-3', 'RUNNING')]);
    engine.on('command', (_cmd, ack) => ack({ ok: false, message: 'not at a safe point' }));
    engine.emit('attach', ['cmd-3']);
    await waitFor(async () => (await srv.app.engine.in('flow-run:cmd-3').fetchSockets()).length === 1);
    const r = await post('/api/flow-runs/cmd-3/pause');
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/not at a safe point/);
  });

  it('answers 409 with the reason for commands in the wrong state, 404 for an unknown run', async () => {
    const ev = new Events();
    await postEvents(srv.url, [ev.flow('done-1', 'RUNNING'), ev.flow('done-1', 'COMPLETED')]);
    for (const [cmd, re] of [
      ['pause', /Running/],
      ['resume', /Paused/],
      ['cancel', /finished/],
      ['retry', /deployment/],
    ] as const) {
      const r = await post(`/api/flow-runs/done-1/${cmd}`);
      expect(r.status, cmd).toBe(409);
      expect(r.body.error).toMatch(re);
    }
    expect((await post('/api/flow-runs/missing/cancel')).status).toBe(404);
    expect((await post('/api/flow-runs/missing/retry')).status).toBe(404);
  });
});

describe('retry, set-state, delete and bulk', () => {
  it('retries a finished deployment run as AwaitingRetry', async () => {
    const ev = new Events();
    const [dep] = srv.app.store.deployments.register([{ name: 'd', flowName: 'etl', parameters: {}, tags: [], allowSuspend: false }]).deployments;
    await postEvents(srv.url, [
      ev.flow('dep-1', 'RUNNING', { info: { deploymentId: dep!.id } }),
      ev.flow('dep-1', 'FAILED', { info: { deploymentId: dep!.id } }),
    ]);
    const r = await post('/api/flow-runs/dep-1/retry');
    expect(r.status).toBe(200);
    expect((r.body as CommandResponse).state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingRetry' });
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/dep-1`);
    expect(run.endTime).toBeNull();
    expect((await post('/api/flow-runs/dep-1/retry')).status).toBe(409);
  });

  it('refuses to retry a run whose parameters were kept only as a preview (a re-run could not use them)', async () => {
    const ev = new Events();
    const [dep] = srv.app.store.deployments.register([{ name: 'p', flowName: 'etl', parameters: {}, tags: [], allowSuspend: false }]).deployments;
    const parameters = { text: '{ fn: [Function fn] }', type: 'object', exact: false, truncated: false };
    await postEvents(srv.url, [
      ev.flow('dep-preview', 'RUNNING', { info: { deploymentId: dep!.id, parameters } }),
      ev.flow('dep-preview', 'FAILED', { info: { deploymentId: dep!.id } }),
    ]);
    const r = await post('/api/flow-runs/dep-preview/retry');
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/parameters were not plain JSON/);
  });

  it('forces a terminal state with a message, validating the body', async () => {
    const ev = new Events();
    await postEvents(srv.url, [ev.flow('force-1', 'RUNNING'), ev.task('force-1-t', 'force-1', 'RUNNING')]);
    const bad = await post('/api/flow-runs/force-1/set-state', { type: 'RUNNING' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('type');
    const mismatch = await post('/api/flow-runs/force-1/set-state', { type: 'FAILED', name: 'Cached' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.issues[0].path).toBe('name');
    const r = await post('/api/flow-runs/force-1/set-state', { type: 'FAILED', name: 'TimedOut', message: 'stuck for a day' });
    expect(r.status).toBe(200);
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/force-1`);
    expect(run.state).toMatchObject({ type: 'FAILED', name: 'TimedOut', message: 'stuck for a day' });
    expect(run.taskStateCounts).toEqual({ CANCELLED: 1 });
  });

  it('deletes a run with its task runs, states and logs', async () => {
    const ev = new Events();
    await postEvents(srv.url, [ev.flow('del-1', 'RUNNING'), ev.task('del-1-t', 'del-1', 'RUNNING'), ev.log('del-1', 'bye')]);
    expect((await call(`${srv.url}/api/flow-runs/del-1`, 'DELETE')).status).toBe(200);
    expect((await fetch(`${srv.url}/api/flow-runs/del-1`)).status).toBe(404);
    expect((await fetch(`${srv.url}/api/task-runs/del-1-t`)).status).toBe(404);
    expect((await call(`${srv.url}/api/flow-runs/del-1`, 'DELETE')).status).toBe(404);
    const db = (srv.app.store as unknown as { db: import('better-sqlite3').Database }).db;
    expect(db.prepare("SELECT count(*) AS n FROM logs WHERE flow_run_id = 'del-1'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM states WHERE run_id IN ('del-1','del-1-t')").get()).toEqual({ n: 0 });
  });

  it('bulk cancel, set-state and delete by ids or by filter', async () => {
    const ev = new Events();
    const batch: unknown[] = [];
    for (let i = 0; i < 6; i++) batch.push(ev.flow(`bulk-${i}`, 'RUNNING', { info: { flowName: 'bulky' } }));
    batch.push(ev.flow('bulk-done', 'COMPLETED', { info: { flowName: 'bulky' } }));
    await postEvents(srv.url, batch);
    const c = await post('/api/flow-runs/bulk/cancel', { ids: ['bulk-0', 'bulk-1', 'bulk-done', 'nope'] });
    expect(c.status).toBe(200);
    expect((c.body as BulkResponse).results.map((r) => [r.id, r.ok])).toEqual([
      ['bulk-0', true],
      ['bulk-1', true],
      ['bulk-done', false],
      ['nope', false],
    ]);
    const s = await post('/api/flow-runs/bulk/set-state', { filter: { flow: ['bulky'], stateType: ['RUNNING'] }, state: { type: 'CRASHED' } });
    expect((s.body as BulkResponse).results).toHaveLength(4);
    const list = await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?flow=bulky`);
    expect(list.counts).toMatchObject({ CANCELLED: 2, CRASHED: 4, COMPLETED: 1, RUNNING: 0 });
    expect((await post('/api/flow-runs/bulk/set-state', { ids: ['bulk-0'] })).status).toBe(400);
    expect((await post('/api/flow-runs/bulk/cancel', {})).status).toBe(400);
    const d = await post('/api/flow-runs/bulk/delete', { filter: { flow: ['bulky'] } });
    expect((d.body as BulkResponse).results.every((r) => r.ok)).toBe(true);
    expect((await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?flow=bulky`)).items).toEqual([]);
  });
});
