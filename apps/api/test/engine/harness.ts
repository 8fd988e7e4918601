/** Real API servers and real flow processes for the engine ↔ API tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startServer, type RunningServer } from '../../src/index.js';
import { call } from '../helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function tempDb(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'flowlight-it-')), 'flowlight.db');
}

export function startApi(db: string, port = 0, env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(
    loadConfig({ FLOWLIGHT_DB: db, FLOWLIGHT_PORT: String(port), FLOWLIGHT_LOG_LEVEL: 'silent', ...env }),
  );
}

export interface FlowProcess {
  child: ChildProcess;
  flowRunId: Promise<string>;
  exit: Promise<number | null>;
  output: () => string;
}

/** Runs fixtures/run-flow.ts in a child process reporting to `url`. */
export function runFlowProcess(url: string, args: string[], env: Record<string, string> = {}): FlowProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/run-flow.ts'), ...args], {
    env: { ...process.env, FLOWLIGHT_API_URL: url, FLOWLIGHT_PRINT_LOGS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const flowRunId = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /flow-run (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`flow process exited before it started a run:\n${out}`)));
  });
  flowRunId.catch(() => undefined);
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, flowRunId, exit, output: () => out };
}

export { getJson } from '../helpers.js';

/** POSTs JSON and returns the status and the parsed body (the API tests' `call`). */
export async function postJson<T>(url: string, body: unknown = {}): Promise<{ status: number; body: T }> {
  const res = await call(url, 'POST', body);
  return { status: res.status, body: res.body as T };
}

/** Polls `fn` until it returns a truthy value (or fails after `ms`). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, ms = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
