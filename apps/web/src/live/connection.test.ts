/**
 * The live path against the real thing: the API started as its own process on a free port with a
 * SQLite file in a temp dir, events posted over HTTP, a real socket.io client in LiveConnection,
 * and a real QueryClient whose cached snapshots must end up equal to what the API now says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import type { FlowRunDetail, ListFlowRunsResponse, StateName, StateType } from '@flowlight/schema';
import { flowRunKeys, RUNS_PAGE_SIZE } from '../api/flow-runs';
import { DEFAULT_FILTER } from '../lib/filters';
import { LiveConnection } from './connection';

const root = path.resolve(import.meta.dirname, '../../../..');
let api: ChildProcess;
let origin = '';
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlight-web-live-'));
  api = spawn(path.join(root, 'node_modules/.bin/tsx'), ['apps/api/src/main.ts'], {
    cwd: root,
    env: { ...process.env, FLOWLIGHT_PORT: '0', FLOWLIGHT_HOST: '127.0.0.1', FLOWLIGHT_DB: path.join(dir, 'test.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    api.stdout?.on('data', onData);
    api.stderr?.on('data', onData);
    api.on('exit', (code) => reject(new Error(`API exited (${code}): ${out}`)));
  });
}, 60_000);

afterAll(() => {
  api?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const event = (runId: string, type: StateType, name: StateName, at: number) => ({
  kind: 'flow-run-state',
  id: `ev-${runId}-${++seq}`,
  seq,
  ts: at,
  runId,
  flowRun: { flowName: 'live-test', name: `run-${runId}`, tags: [] },
  state: { type, name, timestamp: at },
});
async function post(events: unknown[]) {
  const res = await fetch(`${origin}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
  expect(res.ok).toBe(true);
}
const get = async <T>(p: string): Promise<T> => (await fetch(`${origin}/api${p}`)).json() as Promise<T>;
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('live deltas into the query cache (real API, real socket)', () => {
  it('patches a loaded list and detail, inserts new runs, and catches up after a reconnect', async () => {
    const t0 = Date.now();
    await post([event('a', 'RUNNING', 'Running', t0)]);
    const qc = new QueryClient();
    const listKey = flowRunKeys.list(DEFAULT_FILTER, RUNS_PAGE_SIZE);
    const snapshot = await get<ListFlowRunsResponse>(`/flow-runs?limit=${RUNS_PAGE_SIZE}`);
    qc.setQueryData(listKey, { pages: [snapshot], pageParams: [null] });
    qc.setQueryData(flowRunKeys.detail('a'), await get<FlowRunDetail>('/flow-runs/a'));

    const live = new LiveConnection(qc, origin);
    live.subscribe({ room: 'runs' });
    live.subscribe({ room: 'run', flowRunId: 'a' });
    live.start();
    await until(() => live.status === 'connected', 'the socket');
    await live.whenJoined();

    await post([event('a', 'COMPLETED', 'Completed', t0 + 10), event('b', 'RUNNING', 'Running', t0 + 20)]);
    const list = () => qc.getQueryData<InfiniteData<ListFlowRunsResponse, string | null>>(listKey)!;
    await until(() => list().pages[0]!.items.length === 2 && list().pages[0]!.items[1]!.state.type === 'COMPLETED', 'the list patch');
    expect(list().pages[0]!.items.map((r) => r.id)).toEqual(['b', 'a']);
    expect(list().pages[0]!.counts).toMatchObject({ RUNNING: 1, COMPLETED: 1 });
    const detail = qc.getQueryData<FlowRunDetail>(flowRunKeys.detail('a'))!;
    expect(detail.state.type).toBe('COMPLETED');
    expect(detail.states.map((s) => s.name)).toEqual(['Running', 'Completed']);

    // Missed while away: caught up by cursor on reconnect.
    live.stop();
    await post([event('b', 'FAILED', 'Failed', t0 + 30)]);
    live.start();
    await until(() => list().pages[0]!.items[0]!.state.type === 'FAILED', 'the catch-up');

    const fresh = await get<ListFlowRunsResponse>(`/flow-runs?limit=${RUNS_PAGE_SIZE}`);
    expect(list().pages[0]!.items).toEqual(fresh.items);
    expect(list().pages[0]!.counts).toEqual(fresh.counts);
    live.stop();
  });
});
