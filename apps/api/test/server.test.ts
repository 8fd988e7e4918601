import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { MIGRATIONS } from '../src/db/migrations.js';
import { DatabaseOpenError, openDatabase } from '../src/db/open.js';
import { startServer } from '../src/index.js';
import { Events, call, closeSockets, connectEngine, sendEvents, startTestServer, tempDir, type TestServer } from './helpers.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  closeSockets();
  for (const s of servers.splice(0)) await s.close();
});

describe('configuration', () => {
  it('defaults, and a clear message naming each bad variable', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4200, host: '127.0.0.1', logLevel: 'info', heartbeatGraceMs: 60_000, apiKey: undefined });
    expect(c.dbPath).toBe(path.resolve('.flowlight/flowlight.db'));
    expect(c.webDist).toMatch(/apps[/\\]web[/\\]dist$/);
    expect(() => loadConfig({ FLOWLIGHT_PORT: 'abc', FLOWLIGHT_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ FLOWLIGHT_PORT: '70000', FLOWLIGHT_HEARTBEAT_GRACE_SECONDS: '-1' });
    } catch (e) {
      expect((e as Error).message).toMatch(/FLOWLIGHT_PORT="70000"/);
      expect((e as Error).message).toMatch(/FLOWLIGHT_HEARTBEAT_GRACE_SECONDS="-1"/);
    }
  });

  it('a database that cannot be opened stops the start with a message naming the path', () => {
    const dir = tempDir();
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => openDatabase(path.join(file, 'sub', 'db.sqlite'))).toThrow(DatabaseOpenError);
    expect(() => openDatabase(path.join(file, 'sub', 'db.sqlite'))).toThrow(file);
    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'this is not a database'.repeat(100));
    expect(() => openDatabase(garbage)).toThrow(/garbage\.db/);
  });

  it('migrations: creates folders, applies the list once, refuses a newer schema', () => {
    const dir = tempDir();
    const p = path.join(dir, 'a', 'b', 'x.db');
    openDatabase(p).close();
    const db = openDatabase(p);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const raw = new Database(p);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openDatabase(p)).toThrow(/newer/);
  });
});

describe('startServer and the web app', () => {
  it('serves the built web app with an SPA fallback, and JSON 404s under /api', async () => {
    const dir = tempDir();
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Flowlight SPA</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const s = await startServer({
      port: 0,
      host: '127.0.0.1',
      dbPath: path.join(dir, 'db.sqlite'),
      apiKey: undefined,
      logLevel: 'silent',
      heartbeatGraceMs: 60_000,
      webDist: dist,
    });
    servers.push(s);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const p of ['/', '/runs/abc', '/flows?x=1']) {
      const r = await call(`${s.url}${p}`, 'GET');
      expect(r.status).toBe(200);
      expect(r.text).toContain('Flowlight SPA');
    }
    expect((await call(`${s.url}/assets/app.js`, 'GET')).text).toBe('console.log(1)');
    const api = await call(`${s.url}/api/unknown/thing`, 'GET');
    expect(api.status).toBe(404);
    expect(api.body.error).toMatch(/No API route/);
  });

  it('without a build, / says how to build the web app', async () => {
    const srv = await startTestServer();
    servers.push(srv);
    const r = await call(`${srv.url}/`, 'GET');
    expect(r.status).toBe(200);
    expect(r.text).toContain('pnpm --filter @flowlight/web build');
  });
});

describe('API key', () => {
  it('guards every write and the engine socket; reads stay open', async () => {
    const srv: TestServer = await startTestServer({ apiKey: 's3cret' });
    servers.push(srv);
    const ev = new Events();
    const batch = [ev.flow('k-1', 'RUNNING')];
    expect((await call(`${srv.url}/api/events`, 'POST', batch)).status).toBe(401);
    expect((await call(`${srv.url}/api/events`, 'POST', batch, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call(`${srv.url}/api/flow-runs/k-1`, 'DELETE')).status).toBe(401);
    expect((await call(`${srv.url}/api/events`, 'POST', batch, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await call(`${srv.url}/api/flow-runs/k-1/pause`, 'POST', {}, { 'x-api-key': 's3cret' })).status).toBe(409);
    expect((await call(`${srv.url}/api/flow-runs/k-1`, 'GET')).status).toBe(200);
    await expect(connectEngine(srv.url)).rejects.toThrow(/API key/);
    await expect(connectEngine(srv.url, 'wrong')).rejects.toThrow(/API key/);
    const engine = await connectEngine(srv.url, 's3cret');
    expect(await sendEvents(engine, [ev.flow('k-1', 'COMPLETED')])).toMatchObject({ accepted: 1 });
  });
});

describe('OpenAPI', () => {
  it('documents every route of the API with its parameters, generated from the schemas', async () => {
    const srv = await startTestServer();
    servers.push(srv);
    const spec = (await call(`${srv.url}/api/openapi.json`, 'GET')).body;
    expect(spec.openapi).toMatch(/^3\./);
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const want = [
      'POST /api/events',
      'GET /api/flow-runs',
      'GET /api/flow-runs/{id}',
      'GET /api/flow-runs/{id}/task-runs',
      'GET /api/flow-runs/{id}/logs',
      'GET /api/task-runs/{id}',
      'GET /api/task-runs/{id}/logs',
      'GET /api/flows',
      'GET /api/stats',
      'GET /api/health',
      'GET /api/openapi.json',
      'POST /api/flow-runs/{id}/pause',
      'POST /api/flow-runs/{id}/resume',
      'POST /api/flow-runs/{id}/cancel',
      'POST /api/flow-runs/{id}/retry',
      'POST /api/flow-runs/{id}/set-state',
      'DELETE /api/flow-runs/{id}',
      'POST /api/flow-runs/bulk/cancel',
      'POST /api/flow-runs/bulk/retry',
      'POST /api/flow-runs/bulk/delete',
      'POST /api/flow-runs/bulk/set-state',
      'GET /api/deployments',
      'GET /api/deployments/{id}',
      'POST /api/deployments/{id}/run',
      'PATCH /api/deployments/{id}',
      'DELETE /api/deployments/{id}',
    ];
    expect([...routes].sort()).toEqual([...want].sort());
    const list = spec.paths['/api/flow-runs'].get;
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['stateType', 'stateName', 'flow', 'tag', 'startAfter', 'startBefore', 'q', 'sort', 'cursor', 'limit']));
    const sort = list.parameters.find((p: { name: string }) => p.name === 'sort');
    expect(sort.schema.enum).toContain('duration_desc');
    const setState = spec.paths['/api/flow-runs/{id}/set-state'].post.requestBody.content['application/json'].schema;
    expect(setState.properties.type.enum).toEqual(['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED']);
  });
});
