/** Test harness: a real server on port 0 over a real SQLite file in a temp dir, real socket.io clients. */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import type {
  EngineClientToServer,
  EngineServerToClient,
  FlowRunInfo,
  FlowlightEvent,
  IngestResult,
  StateName,
  StateType,
  TaskRunInfo,
  UiClientToServer,
  UiServerToClient,
} from '@flowlight/schema';
import { DEFAULT_NAME } from '@flowlight/schema';
import { createApp, type App, type AppDeps } from '../src/app.js';
import { createLogger } from '../src/logger.js';

export interface TestServer {
  app: App;
  url: string;
  dir: string;
  dbPath: string;
  logLines: string[];
  close(): Promise<void>;
}

const created: string[] = [];
// Temp folders (SQLite files) go after the importing test file (hooks run in reverse order, so
// after the file's own afterAll that closes its servers).
afterAll(() => {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlight-api-'));
  created.push(d);
  return d;
}

export async function startTestServer(
  opts: { dir?: string; apiKey?: string; graceMs?: number } & Omit<AppDeps, 'config'> = {},
): Promise<TestServer> {
  const dir = opts.dir ?? tempDir();
  const dbPath = path.join(dir, 'flowlight.db');
  const logLines: string[] = [];
  const { dir: _d, apiKey, graceMs, ...rest } = opts;
  const app = createApp({
    logger: createLogger('debug', (l) => logLines.push(l)),
    commandAckTimeoutMs: 1000,
    ...rest,
    config: { dbPath, apiKey, heartbeatGraceMs: graceMs ?? 60_000, webDist: path.join(dir, 'no-web-build') },
  });
  const addr = await app.listen(0);
  return { app, url: `http://127.0.0.1:${addr.port}`, dir, dbPath, logLines, close: () => app.close() };
}

/**
 * One server for a test file: started before all tests (handed to `use`), sockets closed after
 * each test, the server closed after all.
 */
export function useTestServer(use: (srv: TestServer) => void): void {
  let srv: TestServer | undefined;
  beforeAll(async () => {
    srv = await startTestServer();
    use(srv);
  });
  afterEach(() => closeSockets());
  afterAll(() => srv?.close());
}

export type EngineSocket = Socket<EngineServerToClient, EngineClientToServer>;
export type UiSocket = Socket<UiServerToClient, UiClientToServer>;

const openSockets: Socket[] = [];
export function closeSockets(): void {
  for (const s of openSockets.splice(0)) s.close();
}

export async function connectEngine(url: string, apiKey?: string): Promise<EngineSocket> {
  const s: EngineSocket = ioClient(`${url}/engine`, {
    transports: ['websocket'],
    reconnection: false,
    ...(apiKey !== undefined ? { auth: { apiKey } } : {}),
  });
  openSockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
  return s;
}

export async function connectUi(url: string): Promise<UiSocket> {
  const s: UiSocket = ioClient(`${url}/ui`, { transports: ['websocket'], reconnection: false });
  openSockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
  return s;
}

export function sendEvents(s: EngineSocket, batch: unknown[]): Promise<IngestResult | { error: string }> {
  return new Promise((resolve) => s.emit('events', batch as FlowlightEvent[], resolve));
}

export async function postEvents(url: string, batch: unknown): Promise<IngestResult> {
  const res = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(batch),
  });
  if (res.status !== 200) throw new Error(`POST /api/events → ${res.status} ${await res.text()}`);
  return (await res.json()) as IngestResult;
}

export async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // Tests read response bodies of many shapes, including invalid ones on purpose.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; text: string }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text };
}

let counter = 0;
/** Builds events the way the engine does: unique ids, seq per run. */
export class Events {
  private seqs = new Map<string, number>();
  readonly prefix = `e${++counter}-${Date.now().toString(36)}`;
  private n = 0;
  now = 1_700_000_000_000;

  private next(runId: string): { id: string; seq: number; ts: number } {
    const seq = (this.seqs.get(runId) ?? 0) + 1;
    this.seqs.set(runId, seq);
    this.now += 1;
    return { id: `${this.prefix}-${++this.n}`, seq, ts: this.now };
  }

  flow(
    runId: string,
    type: StateType,
    o: { name?: StateName; info?: Partial<FlowRunInfo>; message?: string; ts?: number; extra?: Record<string, unknown> } = {},
  ) {
    const base = this.next(runId);
    const ts = o.ts ?? base.ts;
    return {
      kind: 'flow-run-state' as const,
      ...base,
      ts,
      runId,
      flowRun: { flowName: 'etl', name: `run-${runId}`, tags: [], ...o.info },
      state: { type, name: o.name ?? DEFAULT_NAME[type], timestamp: ts, ...(o.message ? { message: o.message } : {}) },
      ...o.extra,
    };
  }

  task(
    runId: string,
    flowRunId: string,
    type: StateType,
    o: { name?: StateName; attempt?: number; info?: Partial<TaskRunInfo>; extra?: Record<string, unknown> } = {},
  ) {
    const base = this.next(runId);
    return {
      kind: 'task-run-state' as const,
      ...base,
      runId,
      flowRunId,
      taskRun: { taskName: 'step', taskKey: 'step-1', name: `task-${runId}`, tags: [], ...o.info },
      attempt: o.attempt ?? 1,
      state: { type, name: o.name ?? DEFAULT_NAME[type], timestamp: base.ts },
      ...o.extra,
    };
  }

  log(flowRunId: string, message: string, o: { level?: number; taskRunId?: string; ts?: number } = {}) {
    const runId = o.taskRunId ?? flowRunId;
    const base = this.next(runId);
    return {
      kind: 'log' as const,
      ...base,
      ts: o.ts ?? base.ts,
      runId,
      flowRunId,
      ...(o.taskRunId ? { taskRunId: o.taskRunId } : {}),
      level: o.level ?? 20,
      message,
    };
  }

  heartbeat(flowRunId: string) {
    return { kind: 'heartbeat' as const, ...this.next(flowRunId), runId: flowRunId };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value (no timing assertions: the test timeout is the limit). */
export async function waitFor<T>(fn: () => T | Promise<T>, intervalMs = 20): Promise<NonNullable<T>> {
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    await sleep(intervalMs);
  }
}
