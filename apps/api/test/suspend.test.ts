/**
 * A paused run whose worker is gone: Suspended when its deployment allows it (a resume hands it
 * to a worker again), otherwise Paused until its pause timeout, then Failed — never Crashed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedRun, FlowRunDetail } from '@flowlight/schema';
import { call, closeSockets, connectEngine, getJson, sendEvents, startTestServer, type EngineSocket, type TestServer } from './helpers.js';

let srv: TestServer;
let clock = Date.UTC(2026, 10, 29, 12, 0, 0);
beforeAll(async () => {
  srv = await startTestServer({ now: () => clock, scheduler: { intervalMs: 60_000 } });
});
afterEach(() => closeSockets());
afterAll(() => srv.close());

const emit = <T>(s: EngineSocket, event: string, payload: unknown) =>
  new Promise<T>((resolve) => (s as unknown as { emit: (...a: unknown[]) => void }).emit(event, payload, resolve));
const run = (id: string) => getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${id}`);

/** A worker socket that claims one run of a new deployment and reports it Running, then `last`. */
async function pausedRun(
  allowSuspend: boolean,
  pauseTimeoutSeconds: number,
  last: { type: 'PAUSED' | 'SCHEDULED'; name: 'Paused' | 'AwaitingRetry' } = { type: 'PAUSED', name: 'Paused' },
) {
  const w = await connectEngine(srv.url);
  const reg = await emit<{ deployments: { id: string }[] }>(w, 'registerDeployments', [
    { flowName: 'approval', name: `suspend-${allowSuspend}-${Math.random()}`, allowSuspend },
  ]);
  const deploymentId = reg.deployments[0]!.id;
  const started = await call(`${srv.url}/api/deployments/${deploymentId}/run`, 'POST', {});
  expect(started.status).toBe(201);
  const { runs } = await emit<{ runs: ClaimedRun[] }>(w, 'claim', { workerId: 'w1', deploymentIds: [deploymentId], limit: 1 });
  const c = runs[0]!;
  const info = { flowName: c.flowName, name: c.name, tags: [], deploymentId };
  const ts = clock;
  await sendEvents(w, [
    { kind: 'flow-run-state', id: `${c.flowRunId}-a`, seq: c.nextSeq, ts, runId: c.flowRunId, flowRun: info, state: { type: 'RUNNING', name: 'Running', timestamp: ts } },
    {
      kind: 'flow-run-state', id: `${c.flowRunId}-b`, seq: c.nextSeq + 1, ts, runId: c.flowRunId, flowRun: info,
      state: { ...last, timestamp: ts, data: { timeoutSeconds: pauseTimeoutSeconds } },
    },
  ]);
  w.disconnect(); // the worker is gone
  return { id: c.flowRunId, deploymentId };
}

describe('paused runs whose worker is gone', () => {
  it('become Suspended when the deployment allows it, and a resume hands them to a worker again', async () => {
    const { id, deploymentId } = await pausedRun(true, 3600);
    clock += 120_000; // past the heartbeat grace
    srv.app.checkHeartbeats();
    const suspended = await run(id);
    expect(suspended.state).toMatchObject({ type: 'PAUSED', name: 'Suspended' });
    const resumed = await call(`${srv.url}/api/flow-runs/${id}/resume`, 'POST', {});
    expect(resumed.status).toBe(200);
    expect((await run(id)).state).toMatchObject({ type: 'SCHEDULED', name: 'Scheduled' });
    const w2 = await connectEngine(srv.url);
    const { runs } = await emit<{ runs: ClaimedRun[] }>(w2, 'claim', { workerId: 'w2', deploymentIds: [deploymentId], limit: 5 });
    expect(runs.map((r) => r.flowRunId)).toContain(id);
    expect((await run(id)).states.map((s) => s.name)).toEqual(['Scheduled', 'Pending', 'Running', 'Paused', 'Suspended', 'Scheduled', 'Pending']);
  });

  it('otherwise stay Paused until their pause timeout, then fail saying so — not Crashed', async () => {
    const { id } = await pausedRun(false, 600);
    clock += 120_000;
    srv.app.checkHeartbeats();
    expect((await run(id)).state.name).toBe('Paused');
    clock += 600_000;
    srv.app.checkHeartbeats();
    const failed = (await run(id)).state;
    expect(failed.name).toBe('Failed');
    expect(failed.message).toContain('never resumed within 600s');
  });

  it('a run waiting for its own retry when its worker dies is Crashed, and frees its slot', async () => {
    const { id } = await pausedRun(false, 0, { type: 'SCHEDULED', name: 'AwaitingRetry' });
    clock += 120_000;
    srv.app.checkHeartbeats();
    const state = (await run(id)).state;
    expect(state.type).toBe('CRASHED');
    expect(state.message).toMatch(/heartbeat/);
  });
});
