/**
 * The `flowlight` command (packages/cli/bin/flowlight.mjs) as a child process against a real API
 * and a real worker: its output and exit codes (0 ok, 1 the API said no, 2 usage).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, FlowRunDetail, FlowRunSummary } from '@flowlight/schema';
import type { RunningServer } from '../../src/index.js';
import { eventually, getJson, postJson, startApi, tempDb } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '../../../../packages/cli/bin/flowlight.mjs');
let api: RunningServer;
let worker: ChildProcess | undefined;

function flowlight(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, FLOWLIGHT_API_URL: api.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

beforeAll(async () => {
  api = await startApi(tempDb());
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/serve-flows.ts'), 'all'], {
    env: { ...process.env, FLOWLIGHT_API_URL: api.url, FLOWLIGHT_PRINT_LOGS: '0', WORKER_ID: 'cli-worker' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await eventually(async () => (await getJson<Deployment[]>(`${api.url}/api/deployments?name=greet`))[0], 20_000, 'the worker');
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await api.close();
});

describe('flowlight CLI against a real server', { timeout: 60_000 }, () => {
  it('run <deployment> --param k=v --watch starts the run, waits for it and exits 0', async () => {
    const res = await flowlight(['run', 'greet', '--param', 'name=Grace', '--param', 'times=2', '--watch']);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/started \S+ \(\S+\) of greet\/greet/);
    expect(res.out.trim().split('\n').at(-1)).toBe('Completed');
    const id = /\(([^)]+)\)/.exec(res.out)![1]!;
    const run = await getJson<FlowRunDetail>(`${api.url}/api/flow-runs/${id}`);
    expect(JSON.parse(run.parameters!.text)).toEqual({ name: 'Grace', times: 2 });
    expect(JSON.parse(run.result!.text)).toBe('hello hello Grace');
  });

  it('run with a parameter of the wrong type exits 1 and names the field', async () => {
    const res = await flowlight(['run', 'greet', '--param', 'times=many']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('parameters.times');
  });

  it('runs ls --state failed lists the failed runs', async () => {
    const flaky = (await getJson<Deployment[]>(`${api.url}/api/deployments?name=flaky`))[0]!;
    const started = await postJson<FlowRunSummary>(`${api.url}/api/deployments/${flaky.id}/run`, { flowRunName: 'doomed-run' });
    await eventually(async () => (await getJson<FlowRunDetail>(`${api.url}/api/flow-runs/${started.body.id}`)).state.type === 'FAILED');
    const res = await flowlight(['runs', 'ls', '--state', 'failed']);
    expect(res.code).toBe(0);
    const lines = res.out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+FLOW\s+RUN\s+STATE/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([[started.body.id, 'flaky', 'doomed-run', 'Failed']]);
    const none = await flowlight(['runs', 'ls', '--state', 'crashed']);
    expect(none.out).toContain('(no runs)');
  });

  it('runs cancel <id> cancels a waiting run; a second cancel exits 1 with the reason', async () => {
    const greet = (await getJson<Deployment[]>(`${api.url}/api/deployments?name=greet`))[0]!;
    const later = await postJson<FlowRunSummary>(`${api.url}/api/deployments/${greet.id}/run`, {
      scheduledTime: Date.now() + 3_600_000,
    });
    const res = await flowlight(['runs', 'cancel', later.body.id]);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^Cancelled: /);
    expect((await getJson<FlowRunDetail>(`${api.url}/api/flow-runs/${later.body.id}`)).state.name).toBe('Cancelled');
    const again = await flowlight(['runs', 'cancel', later.body.id]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('cannot cancel');
  });

  it('usage errors exit 2 with the usage text', async () => {
    for (const args of [['runs', 'ls', '--state', 'bogus'], ['frobnicate'], ['run']]) {
      const res = await flowlight(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err).toContain('Usage: flowlight');
    }
    const unknown = await flowlight(['run', 'no-such-deployment']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no deployment named "no-such-deployment"');
  });
});
