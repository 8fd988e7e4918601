/**
 * Query benchmark: seeds flow runs and log lines with raw prepared inserts into a temp database,
 * starts the API on it as a child process, and prints p50/p95 of filtered, sorted run-list pages
 * and of log searches over HTTP, and the API's RSS.
 * Goal (issue 3): with 1,000,000 runs and 10,000,000 log lines, list p95 < 10 ms, log search
 * p95 < 50 ms, API memory < 200 MB.
 * Sizes: FLOWLIGHT_BENCH_RUNS (default 100,000) and FLOWLIGHT_BENCH_LOGS (default 10 per run);
 * the full goal run: FLOWLIGHT_BENCH_RUNS=1000000 FLOWLIGHT_BENCH_LOGS=10000000 (seeding takes minutes).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/open.js';
import { flowScopeToken, taskScopeToken } from '../src/store/sqlite/hash.js';
import type { StateType } from '@flowlight/schema';

const RUNS = Number(process.env.FLOWLIGHT_BENCH_RUNS ?? 100_000);
const LOGS = Number(process.env.FLOWLIGHT_BENCH_LOGS ?? RUNS * 10);
const ITER = Number(process.env.FLOWLIGHT_BENCH_ITER ?? 300);
const here = path.dirname(fileURLToPath(import.meta.url));
/** FLOWLIGHT_BENCH_DB: seed this file once and keep it (later runs reuse it as is). */
const keep = process.env.FLOWLIGHT_BENCH_DB;

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const STATE_MIX: [StateType, string, number][] = [
  ['COMPLETED', 'Completed', 0.7],
  ['FAILED', 'Failed', 0.1],
  ['RUNNING', 'Running', 0.05],
  ['SCHEDULED', 'Scheduled', 0.04],
  ['CRASHED', 'Crashed', 0.03],
  ['CANCELLED', 'Cancelled', 0.03],
  ['PENDING', 'Pending', 0.02],
  ['PAUSED', 'Paused', 0.02],
  ['CANCELLING', 'Cancelling', 0.01],
];
const pickState = () => {
  let r = rand();
  for (const s of STATE_MIX) if ((r -= s[2]) < 0) return s;
  return STATE_MIX[0]!;
};
const FLOWS = Array.from({ length: 50 }, (_, i) => `flow-${i}`);
const TAGS = Array.from({ length: 10 }, (_, i) => `tag-${i}`);
const WORDS = 'fetch parse load transform write commit retry timeout record batch user order invoice shipment warehouse'.split(' ');
const DAY = 86_400_000;
const T0 = Date.now() - 30 * DAY;

/** Seeds `runs` flow runs over the last 30 days and `logs` log lines into a new database file (also used by apps/web/bench). */
export function seedDb(dbPath: string, runs: number, logs: number): void {
  const db = openDatabase(dbPath);
  db.pragma('synchronous = OFF');
  const insRun = db.prepare(
    `INSERT INTO flow_runs (id, flow_name, name, tags, parameters, state_type, state_name, state_ts, state_seq, max_seq,
       start_time, end_time, duration_ms, expected_start_time, created_at, updated_at, last_seen, task_run_count, task_counts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 3, 3, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insTag = db.prepare('INSERT INTO flow_run_tags (tag, flow_run_id) VALUES (?, ?)');
  const insFlow = db.prepare('INSERT OR IGNORE INTO flows (name, created_at) VALUES (?, ?)');
  const insLog = db.prepare('INSERT INTO logs (id, flow_run_id, task_run_id, level, message, ts) VALUES (?, ?, ?, ?, ?, ?)');
  const insFts = db.prepare('INSERT INTO logs_fts (rowid, message, scope) VALUES (?, ?, ?)');
  for (const f of FLOWS) insFlow.run(f, T0);
  const t0 = performance.now();
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const [type, name] = pickState();
      const start = T0 + Math.floor(rand() * 30 * DAY);
      const scheduled = type === 'SCHEDULED';
      const terminal = ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'].includes(type);
      const dur = Math.floor(rand() * 600_000);
      const tags = TAGS.filter(() => rand() < 0.1);
      const id = `run-${i}`;
      insRun.run(
        id,
        pick(FLOWS),
        `${pick(WORDS)}-${pick(WORDS)}-${i}`,
        JSON.stringify(tags),
        JSON.stringify({ text: `{"customer":${i % 1000},"region":"${pick(['eu', 'us', 'apac'])}"}`, type: 'object', exact: true, truncated: false }),
        type,
        name,
        start,
        scheduled ? null : start,
        terminal ? start + dur : null,
        terminal ? dur : null,
        scheduled ? start : null,
        start,
        start,
        Date.now(),
        10,
        JSON.stringify({ COMPLETED: 10 }),
      );
      for (const t of tags) insTag.run(t, id);
    }
  });
  for (let i = 0; i < runs; i += 50_000) chunk(i, Math.min(runs, i + 50_000));
  const tRuns = performance.now() - t0;
  let n = 0;
  const logChunk = db.transaction((count: number) => {
    for (let k = 0; k < count; k++, n++) {
      const run = Math.floor(n / (logs / runs));
      const id = `run-${Math.min(run, runs - 1)}`;
      const task = rand() < 0.7 ? `${id}-t${n % 10}` : null;
      const msg = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} item ${n} took ${Math.floor(rand() * 1000)} ms`;
      const info = insLog.run(`log-${n}`, id, task, pick([10, 20, 20, 20, 30, 40]), msg, T0 + n);
      insFts.run(info.lastInsertRowid, msg, task ? `${flowScopeToken(id)} ${taskScopeToken(task)}` : flowScopeToken(id));
    }
  });
  const t1 = performance.now();
  for (let i = 0; i < logs; i += 100_000) logChunk(Math.min(100_000, logs - i));
  const tLogs = performance.now() - t1;
  db.exec('ANALYZE');
  db.close();
  console.log(
    `  seeded ${runs.toLocaleString('en')} runs in ${(tRuns / 1000).toFixed(1)} s, ${logs.toLocaleString('en')} log lines in ${(tLogs / 1000).toFixed(1)} s`,
  );
}

/** Starts the API (serving apps/web/dist) on `dbPath` as a child process on a free port. */
export async function startApi(dbPath: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../src/main.ts')], {
    env: { ...process.env, FLOWLIGHT_DB: dbPath, FLOWLIGHT_PORT: '0', FLOWLIGHT_LOG_LEVEL: 'warn', FLOWLIGHT_HEARTBEAT_GRACE_SECONDS: '86400' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

async function measure(label: string, makeUrl: (i: number) => string): Promise<number[]> {
  for (let i = 0; i < 20; i++) await (await fetch(makeUrl(i))).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ITER; i++) {
    const t = performance.now();
    const r = await fetch(makeUrl(i));
    if (r.status !== 200) throw new Error(`${label}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  console.log(`  ${label.padEnd(46)} p50 ${p(0.5).toFixed(2).padStart(7)} ms   p95 ${p(0.95).toFixed(2).padStart(7)} ms`);
  return [p(0.5), p(0.95)];
}

export async function runQueryBench(): Promise<void> {
  console.log(`query, ${RUNS.toLocaleString('en')} flow runs and ${LOGS.toLocaleString('en')} log lines`);
  const dir = keep ? path.dirname(path.resolve(keep)) : fs.mkdtempSync(path.join(os.tmpdir(), 'flowlight-qbench-'));
  const dbPath = keep ? path.resolve(keep) : path.join(dir, 'bench.db');
  if (!keep || !fs.existsSync(dbPath)) seedDb(dbPath, RUNS, LOGS);
  const api = await startApi(dbPath);
  try {
    const base = `${api.url}/api`;
    const FILTERS = [
      'stateType=FAILED,CRASHED',
      'flow=flow-7',
      'stateType=COMPLETED&flow=flow-3,flow-4',
      'tag=tag-2',
      'stateType=RUNNING,PENDING,PAUSED',
      '',
      `startAfter=${T0 + 10 * DAY}&startBefore=${T0 + 12 * DAY}`,
      'stateName=Scheduled,Late',
    ];
    const SORTS = ['end_desc', 'duration_desc', 'name_asc', 'start_asc'];
    const [, listP95] = await measure('run list, filtered, newest first, 50/page', (i) => {
      const f = FILTERS[i % FILTERS.length]!;
      return `${base}/flow-runs?${f}${f.includes('sort=') ? '' : '&sort=start_desc'}&limit=50`;
    });
    await measure('run list, filtered, other sorts, 50/page', (i) => {
      const f = FILTERS[i % FILTERS.length]!;
      return `${base}/flow-runs?${f}${f.includes('sort=') ? '' : `&sort=${SORTS[Math.floor(i / FILTERS.length) % SORTS.length]}`}&limit=50`;
    });
    // Next pages of the same lists, through the keyset cursor.
    const cursors: string[] = [];
    for (const f of FILTERS) {
      const r = (await (await fetch(`${base}/flow-runs?${f}&limit=50`)).json()) as { nextCursor: string | null };
      if (r.nextCursor) cursors.push(`${f}&cursor=${r.nextCursor}`);
    }
    await measure('run list, page 2 by cursor', (i) => `${base}/flow-runs?${cursors[i % cursors.length]}&limit=50`);
    const [, logP95] = await measure('log search in one run (FTS5)', (i) => {
      const run = `run-${Math.floor(rand() * RUNS)}`;
      return `${base}/flow-runs/${run}/logs?q=${WORDS[i % WORDS.length]}&limit=200`;
    });
    await measure('log page of one run, minLevel=30', () => `${base}/flow-runs/run-${Math.floor(rand() * RUNS)}/logs?minLevel=30`);
    const rss = rssMb(api.pid);
    console.log(`  API process RSS: ${rss} MB`);
    console.log(
      `  goal: list p95 < 10 ms (${listP95! < 10 ? 'met' : 'NOT met'}), log search p95 < 50 ms (${logP95! < 50 ? 'met' : 'NOT met'}), RSS < 200 MB (${rss < 200 ? 'met' : 'NOT met'})`,
    );
  } finally {
    api.stop();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await runQueryBench();
}
