/**
 * Deployments with REAL engine workers: child processes running fixtures/serve-flows.ts, which
 * call the engine's serve() against a real API on port 0 over a real SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, FlowRunDetail, FlowRunSummary, ListFlowRunsResponse } from '@flowlight/schema';
import type { RunningServer } from '../../src/index.js';
import { eventually, getJson, postJson, startApi, tempDb } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];

function startWorker(url: string, mode: string, workerId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/serve-flows.ts'), mode], {
    env: { ...process.env, FLOWLIGHT_API_URL: url, FLOWLIGHT_PRINT_LOGS: '0', WORKER_ID: workerId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('serving')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before serving:\n${out}`)));
  });
}

let api: RunningServer;
beforeAll(async () => {
  api = await startApi(tempDb());
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await api.close();
});

const deployment = async (name: string) =>
  eventually(async () => (await getJson<Deployment[]>(`${api.url}/api/deployments?name=${name}`))[0], 20_000, `deployment ${name}`);
const detail = (id: string) => getJson<FlowRunDetail>(`${api.url}/api/flow-runs/${id}`);
const finished = (id: string) =>
  eventually(async () => {
    const d = await detail(id);
    return ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'].includes(d.state.type) ? d : null;
  }, 20_000, `run ${id} to finish`);

describe('a real worker serving deployments', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    await startWorker(api.url, 'all', 'w-all');
  });

  it('a run started with parameters through the API completes with those parameters', async () => {
    const d = await deployment('greet');
    expect(d.parameterSchema).toMatchObject({ type: 'object', required: ['name'] });
    const started = await postJson<FlowRunSummary>(`${api.url}/api/deployments/${d.id}/run`, { parameters: { name: 'Ada', times: 2 } });
    expect(started.status).toBe(201);
    const run = await finished(started.body.id);
    expect(run.state.name).toBe('Completed');
    expect(JSON.parse(run.parameters!.text)).toEqual({ name: 'Ada', times: 2 });
    expect(JSON.parse(run.result!.text)).toBe('hello hello Ada');
    expect(run.states.map((s) => s.name)).toEqual(['Scheduled', 'Pending', 'Running', 'Completed']);
    expect(run.deploymentId).toBe(d.id);

    const bad = await postJson<{ issues: { path: string }[] }>(`${api.url}/api/deployments/${d.id}/run`, { parameters: { times: 'two' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path)).toEqual(['parameters.times']);
  });

  it('retry from the API re-runs a failed run: AwaitingRetry → Pending → Retrying → Completed', async () => {
    const d = await deployment('flaky');
    const started = await postJson<FlowRunSummary>(`${api.url}/api/deployments/${d.id}/run`, {});
    const failed = await finished(started.body.id);
    expect(failed.state.name).toBe('Failed');
    expect(failed.error?.message).toContain('first attempt fails');
    const retry = await postJson<{ ok: boolean }>(`${api.url}/api/flow-runs/${started.body.id}/retry`);
    expect(retry.status).toBe(200);
    const done = await eventually(async () => {
      const r = await detail(started.body.id);
      return r.state.type === 'COMPLETED' ? r : null;
    }, 20_000, 'the re-run to complete');
    expect(done.states.map((s) => s.name)).toEqual([
      'Scheduled',
      'Pending',
      'Running',
      'Failed',
      'AwaitingRetry',
      'Pending',
      'Retrying',
      'Completed',
    ]);
    expect(JSON.parse(done.result!.text)).toBe('second time lucky');
  });

  it("the flow's own retries stay on the worker that claimed the run (no second claim)", async () => {
    const d = await deployment('self-retry');
    const started = await postJson<FlowRunSummary>(`${api.url}/api/deployments/${d.id}/run`, {});
    const run = await finished(started.body.id);
    expect(run.states.map((s) => s.name)).toEqual(['Scheduled', 'Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
    expect(JSON.parse(run.result!.text)).toBe(2);
  });

  it('a claimed run attaches to the API: cancel reaches its worker', async () => {
    const d = await deployment('sleeper');
    const started = await postJson<FlowRunSummary>(`${api.url}/api/deployments/${d.id}/run`, {});
    await eventually(async () => (await detail(started.body.id)).state.type === 'RUNNING', 20_000, 'the sleeper to run');
    const cancel = await postJson<{ delivered: boolean }>(`${api.url}/api/flow-runs/${started.body.id}/cancel`, { reason: 'enough' });
    expect(cancel.status).toBe(200);
    expect(cancel.body.delivered).toBe(true);
    const run = await finished(started.body.id);
    expect(run.state.type).toBe('CANCELLED');
  });

  it('a scheduled deployment produces runs that the worker runs, never before their time', async () => {
    const d = await deployment('ticker');
    expect(d.schedule).toEqual({ intervalSeconds: 1 });
    const runs = await eventually(async () => {
      const list = await getJson<ListFlowRunsResponse>(`${api.url}/api/flow-runs?flow=ticker&stateType=COMPLETED&limit=50`);
      return list.items.length >= 3 ? list.items : null;
    }, 20_000, 'three completed ticker runs');
    for (const r of runs) {
      expect(r.deploymentId).toBe(d.id);
      expect(r.startTime!).toBeGreaterThanOrEqual(r.expectedStartTime!);
    }
    expect(new Set(runs.map((r) => r.expectedStartTime)).size).toBe(runs.length);
    // pausing the schedule stops new runs
    const paused = await fetch(`${api.url}/api/deployments/${d.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paused: true }),
    });
    expect(paused.status).toBe(200);
    const after = (await getJson<Deployment>(`${api.url}/api/deployments/${d.id}`)).nextRuns;
    expect(after.every((r) => r.expectedStartTime <= Date.now())).toBe(true);
  });
});

describe('two real workers serving the same deployment', { timeout: 60_000 }, () => {
  it('never run the same run', async () => {
    await Promise.all([startWorker(api.url, 'contended', 'w-a'), startWorker(api.url, 'contended', 'w-b')]);
    const d = await deployment('work');
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      ids.push((await postJson<FlowRunSummary>(`${api.url}/api/deployments/${d.id}/run`, { parameters: { ms: 30 } })).body.id);
    }
    const owners: string[] = [];
    for (const id of ids) {
      const run = await finished(id);
      expect(run.states.map((s) => s.name)).toEqual(['Scheduled', 'Pending', 'Running', 'Completed']);
      const worker = JSON.parse(run.result!.text) as string;
      expect(run.states[1]!.message).toBe(`Claimed by worker ${worker}`);
      owners.push(worker);
    }
    expect(new Set(owners).size).toBeGreaterThanOrEqual(1);
    expect(owners.every((o) => o === 'w-a' || o === 'w-b')).toBe(true);
  });
});
