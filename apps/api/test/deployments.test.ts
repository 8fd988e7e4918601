/**
 * Deployments against a real server on port 0, a real SQLite file and real socket.io clients
 * playing the worker. The clock is injected: schedules, Late and "never before its time" are
 * driven by moving it, never by waiting on the real one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LATE_AFTER_MS,
  type ClaimedRun,
  type ClaimRequest,
  type Deployment,
  type DeploymentSpec,
  type FlowRunDetail,
  type FlowRunSummary,
  type FlowSummary,
  type StateData,
} from '@flowlight/schema';
import { call, closeSockets, connectEngine, getJson, sendEvents, startTestServer, type EngineSocket, type TestServer } from './helpers.js';

let srv: TestServer;
let clock = Date.UTC(2026, 10, 29, 12, 0, 0);
beforeAll(async () => {
  srv = await startTestServer({ now: () => clock, scheduler: { intervalMs: 60_000 } });
});
afterEach(() => closeSockets());
afterAll(() => srv.close());

type Ack = { error: string } | { deployments: { id: string; name: string; flowName: string }[] };

function register(s: EngineSocket, specs: unknown): Promise<Ack> {
  return new Promise((resolve) => (s as unknown as { emit: (...a: unknown[]) => void }).emit('registerDeployments', specs, resolve));
}
function claim(s: EngineSocket, req: unknown): Promise<{ runs: ClaimedRun[] } | { error: string }> {
  return new Promise((resolve) => (s as unknown as { emit: (...a: unknown[]) => void }).emit('claim', req, resolve));
}
async function claimRuns(s: EngineSocket, req: ClaimRequest): Promise<ClaimedRun[]> {
  const res = await claim(s, req);
  if ('error' in res) throw new Error(res.error);
  return res.runs;
}
async function deploy(s: EngineSocket, spec: Partial<DeploymentSpec> & { name: string }): Promise<string> {
  const res = await register(s, [{ flowName: 'etl', ...spec }]);
  if ('error' in res) throw new Error(res.error);
  return res.deployments[0]!.id;
}
const get = <T>(path: string) => getJson<T>(`${srv.url}${path}`);
const run = (path: string) => get<FlowRunDetail>(`/api/flow-runs/${path}`);

/** Reports a claimed run's states the way the engine does: seq continues from nextSeq. */
function report(s: EngineSocket, c: ClaimedRun, names: [StateData['type'], string][]) {
  let seq = c.nextSeq;
  return sendEvents(
    s,
    names.map(([type, name]) => ({
      kind: 'flow-run-state',
      id: `${c.flowRunId}-${seq}`,
      seq,
      ts: clock,
      runId: c.flowRunId,
      flowRun: { flowName: c.flowName, name: c.name, tags: c.tags, deploymentId: c.deploymentId },
      state: { type, name, timestamp: clock + seq++ },
    })),
  );
}

describe('registerDeployments', () => {
  it('answers bad input with an error naming the field, and never crashes', async () => {
    const w = await connectEngine(srv.url);
    for (const bad of [null, 'x', [], [{ name: '' }], [{ name: 'a', flowName: 'f', schedule: { cron: 'not a cron' } }]]) {
      const res = await register(w, bad);
      expect(res).toHaveProperty('error');
    }
    expect(await register(w, [{ name: 'a', flowName: 'f', concurrencyLimit: 0 }])).toMatchObject({
      error: expect.stringContaining('0.concurrencyLimit'),
    });
    expect(await register(w, [{ name: 'a', flowName: 'f', schedule: { cron: '* * * * *', timezone: 'Mars/Base' } }])).toMatchObject({
      error: expect.stringContaining('timezone'),
    });
    expect(await claim(w, { workerId: 'w', deploymentIds: 'x', limit: 1 })).toMatchObject({ error: expect.stringContaining('deploymentIds') });
    expect(w.connected).toBe(true);
  });

  it('upserts by (flowName, name): registering again keeps the id and the paused switch', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'upsert', tags: ['a'], parameters: { n: 1 } });
    expect((await call(`${srv.url}/api/deployments/${id}`, 'PATCH', { paused: true })).status).toBe(200);
    const again = await deploy(w, { name: 'upsert', tags: ['b'], parameters: { n: 2 } });
    expect(again).toBe(id);
    const d = await get<Deployment>(`/api/deployments/${id}`);
    expect(d).toMatchObject({ name: 'upsert', flowName: 'etl', tags: ['b'], parameters: { n: 2 }, paused: true });
    const listed = await get<Deployment[]>('/api/deployments?name=upsert');
    expect(listed.map((x) => x.id)).toEqual([id]);
  });
});

describe('schedules', () => {
  it('creates runs ahead on time, never hands one out before its time, and marks unclaimed ones Late', async () => {
    const w = await connectEngine(srv.url);
    const start = clock;
    const id = await deploy(w, { name: 'every-2s', schedule: { intervalSeconds: 2 }, parameters: { day: 'mon' }, tags: ['nightly'] });
    srv.app.tickScheduler();
    srv.app.tickScheduler(); // idempotent: no duplicates
    let d = await get<Deployment>(`/api/deployments/${id}`);
    expect(d.nextRuns.map((r) => r.expectedStartTime)).toEqual([start, start + 2000, start + 4000]);
    expect(d.nextRuns.every((r) => r.state.name === 'Scheduled')).toBe(true);
    const first = await run(d.nextRuns[0]!.id);
    expect(first).toMatchObject({ deploymentId: id, tags: ['nightly'], flowName: 'etl' });
    expect(JSON.parse(first.parameters!.text)).toEqual({ day: 'mon' });

    // Only the due one is handed out.
    const claimed = await claimRuns(w, { workerId: 'w1', deploymentIds: [id], limit: 10 });
    expect(claimed.map((c) => c.flowRunId)).toEqual([d.nextRuns[0]!.id]);
    expect(claimed[0]).toMatchObject({ parameters: { day: 'mon' }, tags: ['nightly'], retry: false, nextSeq: 3 });
    expect((await run(claimed[0]!.flowRunId)).states.map((s) => s.name)).toEqual(['Scheduled', 'Pending']);
    expect((await run(claimed[0]!.flowRunId)).state.message).toContain('w1');

    // Nobody serves it for a while: the clock moves past LATE_AFTER_MS.
    clock = start + 4000 + LATE_AFTER_MS + 1;
    srv.app.tickScheduler();
    const late = await run(d.nextRuns[1]!.id);
    expect(late.state).toMatchObject({ type: 'SCHEDULED', name: 'Late' });
    d = await get<Deployment>(`/api/deployments/${id}`);
    expect(d.nextRuns.filter((r) => r.state.name === 'Late').map((r) => r.id)).toEqual([d.nextRuns[0]!.id, d.nextRuns[1]!.id]);
    // A late run is still claimable, oldest first.
    const next = await claimRuns(w, { workerId: 'w1', deploymentIds: [id], limit: 1 });
    expect(next[0]!.flowRunId).toBe(late.id);
    expect((await get<Deployment>(`/api/deployments/${id}`)).lastWorkerSeenAt).toBe(clock);
    await call(`${srv.url}/api/deployments/${id}`, 'DELETE');
  });

  it('cron schedules fire on the minute in their time zone', async () => {
    const w = await connectEngine(srv.url);
    clock = Date.UTC(2026, 10, 29, 13, 0, 30);
    const id = await deploy(w, { name: 'cron', schedule: { cron: '0 9 * * *', timezone: 'Europe/Berlin' } });
    const id2 = await deploy(w, { name: 'cron-min', schedule: { cron: '*/5 * * * *', timezone: 'UTC' } });
    srv.app.tickScheduler();
    // 09:00 in Berlin is more than 10 minutes away: nothing created ahead yet.
    expect((await get<Deployment>(`/api/deployments/${id}`)).nextRuns).toEqual([]);
    const d2 = await get<Deployment>(`/api/deployments/${id2}`);
    expect(d2.nextRuns.map((r) => new Date(r.expectedStartTime).toISOString())).toEqual([
      '2026-11-29T13:05:00.000Z',
      '2026-11-29T13:10:00.000Z',
    ]);
    clock = Date.UTC(2026, 10, 30, 7, 55, 0); // 08:55 in Berlin
    // no worker asked for work for hours: the schedule idles rather than pile up Late runs
    srv.app.tickScheduler();
    expect((await get<Deployment>(`/api/deployments/${id}`)).nextRuns).toEqual([]);
    await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 0 }); // a worker is back
    srv.app.tickScheduler();
    const d = await get<Deployment>(`/api/deployments/${id}`);
    expect(d.nextRuns.map((r) => new Date(r.expectedStartTime).toISOString())).toEqual(['2026-11-30T08:00:00.000Z']);
    for (const x of [id, id2]) await call(`${srv.url}/api/deployments/${x}`, 'DELETE');
  });

  it('pausing stops new runs and removes the not-yet-due ones; due and requested runs stay', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'pausable', schedule: { intervalSeconds: 60 } });
    srv.app.tickScheduler();
    const before = await get<Deployment>(`/api/deployments/${id}`);
    expect(before.nextRuns).toHaveLength(3);
    const requested = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { scheduledTime: clock + 30_000 });
    expect(requested.status).toBe(201);

    const patched = await call(`${srv.url}/api/deployments/${id}`, 'PATCH', { paused: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ paused: true });
    // the first (due now) run stays, the two future ones are gone, the requested one stays
    expect((patched.body as Deployment).nextRuns.map((r) => r.id)).toEqual([before.nextRuns[0]!.id, requested.body.id]);
    expect((await call(`${srv.url}/api/flow-runs/${before.nextRuns[1]!.id}`, 'GET')).status).toBe(404);

    clock += 5 * 60_000;
    srv.app.tickScheduler();
    expect((await get<Deployment>(`/api/deployments/${id}`)).nextRuns).toHaveLength(2);

    await call(`${srv.url}/api/deployments/${id}`, 'PATCH', { paused: false });
    srv.app.tickScheduler();
    expect((await get<Deployment>(`/api/deployments/${id}`)).nextRuns).toHaveLength(5);
    await call(`${srv.url}/api/deployments/${id}`, 'DELETE');
  });
});

describe('claiming', () => {
  it('two workers claiming at once never get the same run', async () => {
    const a = await connectEngine(srv.url);
    const b = await connectEngine(srv.url);
    const id = await deploy(a, { name: 'contended' });
    const total = 150;
    for (let i = 0; i < total; i++) {
      const res = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { parameters: { i } });
      expect(res.status).toBe(201);
    }
    const got = new Map<string, string[]>();
    async function loop(s: EngineSocket, name: string) {
      for (;;) {
        const runs = await claimRuns(s, { workerId: name, deploymentIds: [id], limit: 7 });
        if (runs.length === 0) return;
        for (const r of runs) got.set(r.flowRunId, [...(got.get(r.flowRunId) ?? []), name]);
      }
    }
    await Promise.all([loop(a, 'A'), loop(b, 'B'), loop(a, 'A2'), loop(b, 'B2')]);
    expect(got.size).toBe(total);
    expect([...got.values()].filter((owners) => owners.length > 1)).toEqual([]);
    const owners = new Set([...got.values()].map((o) => o[0]![0]));
    expect(owners).toEqual(new Set(['A', 'B']));
    const list = await get<{ items: FlowRunSummary[] }>(`/api/flow-runs?stateType=PENDING&limit=200`);
    expect(list.items.filter((r) => r.deploymentId === id)).toHaveLength(total);
  });

  it('a concurrency limit keeps the extra runs waiting as AwaitingConcurrencySlot', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'limited', concurrencyLimit: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call(`${srv.url}/api/deployments/${id}/run`, 'POST', {})).body.id);
    const first = await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 10 });
    expect(first.map((r) => r.flowRunId)).toEqual([ids[0]]);
    for (const waiting of ids.slice(1)) expect((await run(waiting)).state.name).toBe('AwaitingConcurrencySlot');
    // Claiming again while the first runs: nothing, and no second rename.
    expect(await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 10 })).toEqual([]);
    expect((await run(ids[1]!)).states.map((s) => s.name)).toEqual(['Scheduled', 'AwaitingConcurrencySlot']);

    await report(w, first[0]!, [['RUNNING', 'Running'], ['COMPLETED', 'Completed']]);
    const second = await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 10 });
    expect(second.map((r) => r.flowRunId)).toEqual([ids[1]]);
    expect((await run(ids[1]!)).states.map((s) => s.name)).toEqual(['Scheduled', 'AwaitingConcurrencySlot', 'Pending']);
  });

  it('retry from the API re-runs a failed run of a deployment (AwaitingRetry → Pending → Retrying)', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'retryable', parameters: { x: 1 } });
    const created = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { parameters: { x: 2 } });
    const [c] = await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 1 });
    expect(c!.retry).toBe(false);
    await report(w, c!, [['RUNNING', 'Running'], ['FAILED', 'Failed']]);

    clock += 60_000;
    const retried = await call(`${srv.url}/api/flow-runs/${created.body.id}/retry`, 'POST');
    expect(retried.status).toBe(200);
    expect(retried.body.state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingRetry' });
    expect((await run(created.body.id)).expectedStartTime).toBe(clock);
    const [again] = await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 1 });
    expect(again).toMatchObject({ flowRunId: created.body.id, retry: true, parameters: { x: 2 } });
    await report(w, again!, [['RUNNING', 'Retrying'], ['COMPLETED', 'Completed']]);
    expect((await run(created.body.id)).states.map((s) => s.name)).toEqual([
      'Scheduled',
      'Pending',
      'Running',
      'Failed',
      'AwaitingRetry',
      'Pending',
      'Retrying',
      'Completed',
    ]);
  });

  it("a run its engine retries in process (engine-written AwaitingRetry) is not handed out again and keeps its slot", async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'self-retrying', concurrencyLimit: 1 });
    const a = (await call(`${srv.url}/api/deployments/${id}/run`, 'POST', {})).body;
    const b = (await call(`${srv.url}/api/deployments/${id}/run`, 'POST', {})).body;
    const [c] = await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 5 });
    expect(c!.flowRunId).toBe(a.id);
    await report(w, c!, [['RUNNING', 'Running'], ['SCHEDULED', 'AwaitingRetry']]);
    expect((await run(a.id)).state.name).toBe('AwaitingRetry');
    clock += 60_000; // its retry time has passed
    expect(await claimRuns(w, { workerId: 'w2', deploymentIds: [id], limit: 5 })).toEqual([]);
    expect((await run(b.id)).state.name).toBe('AwaitingConcurrencySlot');
  });

  it('retry of a run without a deployment keeps its 409', async () => {
    const e = await connectEngine(srv.url);
    await sendEvents(e, [
      { kind: 'flow-run-state', id: 'nodep-1', seq: 1, ts: clock, runId: 'nodep', flowRun: { flowName: 'x', name: 'y', tags: [] }, state: { type: 'FAILED', name: 'Failed', timestamp: clock } },
    ]);
    const res = await call(`${srv.url}/api/flow-runs/nodep/retry`, 'POST');
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('deployment');
  });
});

describe('REST', () => {
  it('a run scheduled for later is not among its flow\'s last runs', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'later', flowName: 'later-flow' });
    const soon = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', {});
    const later = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { scheduledTime: clock + 3_600_000 });
    expect([soon.status, later.status]).toEqual([201, 201]);
    const flows = await get<FlowSummary[]>('/api/flows');
    const f = flows.find((x) => x.name === 'later-flow')!;
    expect(f.lastRuns.map((r) => r.id)).toEqual([soon.body.id]);
    expect(f.lastRunAt).toBeLessThanOrEqual(clock);
  });

  it('starts a run with parameters merged over the defaults and answers 400 naming the field', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, {
      name: 'typed',
      parameters: { city: 'Oslo', days: 3 },
      parameterSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 }, unit: { enum: ['c', 'f'] } },
        required: ['city', 'days'],
      },
    });
    const ok = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { parameters: { days: 5 }, flowRunName: 'five-days' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: 'five-days', deploymentId: id, state: { type: 'SCHEDULED', name: 'Scheduled' } });
    expect(JSON.parse((await run(ok.body.id)).parameters!.text)).toEqual({ city: 'Oslo', days: 5 });

    const bad = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { parameters: { days: 'many', unit: 'k', city: null } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['parameters.city', 'parameters.days', 'parameters.unit']);
    const badBody = await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { parameters: 'x', scheduledTime: -1 });
    expect(badBody.status).toBe(400);
    expect(badBody.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['parameters', 'scheduledTime']);
    const badPatch = await call(`${srv.url}/api/deployments/${id}`, 'PATCH', { paused: 'yes' });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.issues[0].path).toBe('paused');
    expect((await call(`${srv.url}/api/deployments/nope/run`, 'POST', {})).status).toBe(404);
    expect((await call(`${srv.url}/api/deployments/nope`, 'GET')).status).toBe(404);
    expect((await call(`${srv.url}/api/deployments/${id}/run`, 'POST', '{oops')).status).toBe(400);
  });

  it('lists deployments with next and last runs, filters by flow, documents the routes', async () => {
    const w = await connectEngine(srv.url);
    const id = await deploy(w, { name: 'listed', flowName: 'reports' });
    const r1 = (await call(`${srv.url}/api/deployments/${id}/run`, 'POST', {})).body;
    const r2 = (await call(`${srv.url}/api/deployments/${id}/run`, 'POST', { scheduledTime: clock + 3_600_000 })).body;
    const [c] = await claimRuns(w, { workerId: 'w', deploymentIds: [id], limit: 5 });
    expect(c!.flowRunId).toBe(r1.id);
    await report(w, c!, [['RUNNING', 'Running'], ['COMPLETED', 'Completed']]);
    const [d] = await get<Deployment[]>('/api/deployments?flow=reports');
    expect(d).toMatchObject({ id, flowName: 'reports', paused: false });
    expect(d!.nextRuns.map((r) => r.id)).toEqual([r2.id]);
    expect(d!.lastRuns.map((r) => [r.id, r.state.name])).toEqual([[r1.id, 'Completed']]);
    const doc = await get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
    expect(Object.keys(doc.paths['/api/deployments/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(JSON.stringify(doc.paths['/api/deployments/{id}/run'])).toContain('scheduledTime');
    expect(Object.keys((doc.paths['/api/deployments/{id}/run']!['post'] as { responses: object }).responses)).toContain('201');

    expect((await call(`${srv.url}/api/deployments/${id}`, 'DELETE')).status).toBe(200);
    expect((await call(`${srv.url}/api/deployments/${id}`, 'GET')).status).toBe(404);
    expect((await run(r1.id)).state.name).toBe('Completed'); // history stays
    expect((await call(`${srv.url}/api/flow-runs/${r2.id}`, 'GET')).status).toBe(404); // nothing would run it
    expect((await call(`${srv.url}/api/flow-runs/${r1.id}/retry`, 'POST')).status).toBe(409);
  });
});
