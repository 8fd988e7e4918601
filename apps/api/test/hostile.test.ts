import type Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Events, call, closeSockets, connectEngine, postEvents, sendEvents, startTestServer, waitFor, type TestServer } from './helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  const ev = new Events();
  await postEvents(srv.url, [
    ev.flow('h-run', 'RUNNING', { info: { tags: ['x'] } }),
    ev.task('h-task', 'h-run', 'RUNNING'),
    ev.log('h-run', 'hello world', { taskRunId: 'h-task' }),
    ev.flow('h-paused', 'RUNNING'),
    ev.flow('h-paused', 'PAUSED'),
    ev.flow('h-done', 'COMPLETED', { info: { deploymentId: 'd' } }),
  ]);
});
afterEach(() => closeSockets());
afterAll(() => srv.close());

function snapshot(): string {
  const db = (srv.app.store as unknown as { db: Database.Database }).db;
  const tables = ['flows', 'flow_runs', 'flow_run_tags', 'flow_run_counts', 'task_runs', 'states', 'logs', 'commands'];
  return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));
}

const IDS = [
  "' OR '1'='1",
  'h-run; DROP TABLE flow_runs; --',
  '../../etc/passwd',
  '%00',
  'x'.repeat(5000),
  '🔥💥',
  '%',
  '_',
  'null',
  'undefined',
  '[object Object]',
];
const QUERIES = [
  'stateType=RUNNING%27%20OR%201=1',
  'stateType[]=RUNNING',
  'stateType[$ne]=x',
  'flow=' + encodeURIComponent("etl' OR 1=1 --"),
  'q=' + encodeURIComponent("%' OR 1=1 --"),
  'q=' + 'a'.repeat(10000),
  'q=a&q=b',
  'sort=name_asc;DROP',
  'cursor=' + encodeURIComponent("W1wiJyBPUiAxPTFcIiwxXQ"),
  'cursor=' + Buffer.from(JSON.stringify([{ $gt: 1 }, 'x'])).toString('base64url'),
  'cursor=' + Buffer.from(JSON.stringify([1e309, 'x'])).toString('base64url'),
  'limit=-1',
  'limit=1e9',
  'limit=abc',
  'startAfter=-5',
  'startBefore=Infinity',
  'minLevel=9999',
  'direction=sideways',
  'format=exe',
  'from=10&to=5',
  'buckets=100000',
  'tag=' + Array.from({ length: 500 }, (_, i) => `t${i}`).join(','),
  '__proto__[x]=1',
  'constructor=1',
];
const BODIES: (string | unknown)[] = [
  '{',
  'not json',
  '"a string"',
  '123',
  'null',
  '[' .repeat(100_000),
  { reason: 42 },
  { type: 'RUNNING' },
  { type: 'COMPLETED', name: 'Failed' },
  { ids: "' OR 1=1" },
  { ids: [42] },
  { filter: { stateType: ['NOPE'] } },
  { __proto__: { polluted: true } },
  [],
  [{}],
];

describe('hostile input', () => {
  it('every route answers a 4xx (never 5xx) and no stored data changes', { timeout: 120_000 }, async () => {
    const before = snapshot();
    const spec = (await call(`${srv.url}/api/openapi.json`, 'GET')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: p })));
    expect(routes.length).toBeGreaterThan(15);
    const statuses = new Map<number, number>();
    const hit = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
      const r = await call(url, method, body, headers);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status, `${method} ${url.slice(0, 200)}`).toBeLessThan(500);
      if (url.includes('/api/') && !url.includes('format=text')) expect(r.body, `${method} ${url.slice(0, 200)}`).not.toBeNull();
      return r;
    };
    for (const { method, path } of routes) {
      const withIds = path.includes('{id}') ? IDS.map((id) => path.replace('{id}', encodeURIComponent(id))) : [path];
      // Every hostile id bare; the hostile queries and bodies with the first two of them.
      for (const [i, p] of withIds.entries()) {
        await hit(method, `${srv.url}${p}`);
        if (i > 1) continue;
        if (method === 'GET') for (const q of QUERIES) await hit('GET', `${srv.url}${p}?${q}`);
        else for (const b of BODIES) await hit(method, `${srv.url}${p}`, b);
      }
      // Existing runs with invalid bodies and queries must not be touched either.
      const real = path.replace('{id}', path.startsWith('/api/task-runs') ? 'h-task' : 'h-run');
      if (method === 'GET') for (const q of QUERIES) await hit('GET', `${srv.url}${real}?${q}`);
      else if (real !== path || path.includes('bulk')) {
        for (const b of BODIES.filter((x) => x !== undefined && !(Array.isArray(x) && x.length === 0) && path !== '/api/events')) {
          if (method === 'DELETE' || /\/(retry|pause|resume|cancel)$/.test(path)) continue; // bodies are optional there
          await hit(method, `${srv.url}${real}`, b);
        }
      }
    }
    // Wrong content types, oversized bodies.
    await hit('POST', `${srv.url}/api/flow-runs/h-run/set-state`, '{"type":"FAILED"}', { 'content-type': 'text/plain' });
    expect((await hit('POST', `${srv.url}/api/events`, '[' + '"x",'.repeat(1_500_000) + '"x"]')).status).toBe(413);
    expect((await hit('POST', `${srv.url}/api/flow-runs/bulk/cancel`, { ids: ['a'], pad: 'x'.repeat(1_100_000) })).status).toBe(413);
    // Garbage events are rejected one by one, never stored.
    const garbage = await postEvents(srv.url, [
      { kind: 'flow-run-state', id: "'; DROP TABLE states; --", seq: -1 },
      { kind: 'log', id: 'l', seq: 1, ts: 1, runId: 'h-run', flowRunId: 'h-run', level: 20, message: 5 },
      { kind: 'heartbeat', id: 'h', seq: 1.5, ts: 1, runId: 'h-run' },
      { kind: 'task-run-state', id: 't', seq: 1, ts: 1, runId: 'x'.repeat(200), flowRunId: 'h-run' },
      { constructor: { prototype: { polluted: true } } },
    ]);
    expect(garbage.accepted).toBe(0);
    expect(garbage.rejected).toHaveLength(5);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

    expect((await call(`${srv.url}/api/health`, 'GET')).status).toBe(200);
    expect(snapshot()).toBe(before);
    expect(statuses.get(500)).toBeUndefined();
  });

  it('answers JSON 404 for unknown API routes and 400 for malformed JSON', async () => {
    const r = await call(`${srv.url}/api/nope`, 'GET');
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/No API route GET \/api\/nope/);
    const m = await call(`${srv.url}/api/flow-runs/h-run/set-state`, 'POST', '{"type":');
    expect(m.status).toBe(400);
    expect(m.body).toMatchObject({ error: expect.stringMatching(/JSON/), issues: [{ path: 'body' }] });
  });

  it('refuses an engine socket that floods events, then disconnects it', async () => {
    const flood = await startTestServer({ maxEventsPerSecond: 100 });
    try {
      const engine = await connectEngine(flood.url);
      const ev = new Events();
      const many = (n: number) => Array.from({ length: n }, () => ev.heartbeat('nobody'));
      expect(await sendEvents(engine, many(150))).toEqual({ error: expect.stringMatching(/rate limit/) });
      const disconnected = new Promise((r) => engine.once('disconnect', r));
      expect(await sendEvents(engine, many(600))).toEqual({ error: expect.stringMatching(/disconnected/) });
      await disconnected;
      await waitFor(() => !engine.connected);
      expect(flood.logLines.some((l) => l.includes('flooded'))).toBe(true);
    } finally {
      await flood.close();
    }
  });
});
