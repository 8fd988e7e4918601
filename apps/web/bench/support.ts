/** Shared pieces of the dashboard benchmarks: child processes that always die with us, statistics, output. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../..');

/** State changes of one background flow run (flows.ts): the flow's Pending, Running, Completed and 3 per task. */
export const BACKGROUND_TASKS = 3;
export const BACKGROUND_TRANSITIONS_PER_RUN = 3 + BACKGROUND_TASKS * 3;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface FlowProcess {
  child: ChildProcess;
  /** Every JSON line the process printed so far. */
  messages: Record<string, unknown>[];
  /** Resolves with the first message that has `key`. */
  waitFor(key: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts a scenario of flows.ts in its own engine process reporting to `apiUrl`. */
export function startFlowProcess(scenario: string, apiUrl: string, env: Record<string, string> = {}): FlowProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'flows.ts'), scenario], {
    cwd: REPO_ROOT,
    env: { ...process.env, FLOWLIGHT_API_URL: apiUrl, FLOWLIGHT_PRINT_LOGS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl).trim();
      out = out.slice(nl + 1);
      if (line.startsWith('{')) messages.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exit = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      children.delete(child);
      for (const w of waiters.splice(0)) w();
      r(code);
    }),
  );
  const waitFor = (key: string, timeoutMs = 120_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${scenario}: no "${key}" within ${timeoutMs} ms\n${err}`)), timeoutMs);
      const check = () => {
        const m = messages.find((x) => key in x);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`${scenario} exited with ${child.exitCode} before "${key}"\n${err}`));
        } else waiters.push(check);
      };
      check();
    });
  return {
    child,
    messages,
    waitFor,
    exit,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

/** Nearest-rank percentile of unsorted samples. */
export function pct(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : 'n/a');

export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export function line(label: string, value: string, note = ''): void {
  console.log(`  ${label.padEnd(58)} ${value.padStart(16)}${note ? `   ${note}` : ''}`);
}

export const goal = (ok: boolean) => (ok ? 'met' : 'NOT met');

export const sleep = (t: number) => new Promise<void>((r) => setTimeout(r, t));


/**
 * A browser context for a benchmark. tsx compiles with esbuild's keepNames, which wraps named
 * functions in a `__name(…)` helper; functions sent to the page need that helper there too.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  return context;
}
