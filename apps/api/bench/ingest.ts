/**
 * Ingest: task runs per second persisted end to end (an engine process → socket.io → API →
 * SQLite), beside raw batched better-sqlite3 inserts of the same rows measured in the same run.
 * Goal: ≥ 25,000 task runs/s and ≥ a quarter of the raw insert rate.
 * Run: pnpm --filter @flowlight/api bench:ingest   (N=… task runs, default 50,000)
 * Profile: FLOWLIGHT_BENCH_CPU_PROF=<dir> writes the engine process's CPU profile there (run this
 * script under `node --cpu-prof` for the API's).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startServer } from '../src/index.js';

const N = Number(process.env.N ?? 50_000);
const profDir = process.env.FLOWLIGHT_BENCH_CPU_PROF;
const childProfile = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'flowlight-bench-'));

/** Raw baseline: the same rows (a task run + its 3 states) in transactions of 1,000 task runs. */
function rawInserts(): number {
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE task_runs (id TEXT PRIMARY KEY, flow_run_id TEXT, name TEXT, task_name TEXT, state_type TEXT,
             state_name TEXT, start_time INTEGER, end_time INTEGER, result TEXT);
           CREATE TABLE states (id TEXT PRIMARY KEY, run_id TEXT, seq INTEGER, type TEXT, name TEXT, ts INTEGER);
           CREATE INDEX states_run ON states(run_id, seq);`);
  const insRun = db.prepare('INSERT INTO task_runs VALUES (?,?,?,?,?,?,?,?,?)');
  const insState = db.prepare('INSERT INTO states VALUES (?,?,?,?,?,?)');
  const t0 = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `t${i}`;
      const now = Date.now();
      insRun.run(id, 'f1', `trivial-${i}`, 'trivial', 'COMPLETED', 'Completed', now, now, String(i));
      insState.run(`${id}a`, id, 0, 'PENDING', 'Pending', now);
      insState.run(`${id}b`, id, 1, 'RUNNING', 'Running', now);
      insState.run(`${id}c`, id, 2, 'COMPLETED', 'Completed', now);
    }
  });
  for (let b = 0; b < N; b += 1000) batch(b, Math.min(N, b + 1000));
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

async function endToEnd(): Promise<{ ms: number; rss: number; engineCpuMs: number; apiCpuMs: number }> {
  const server = await startServer(
    loadConfig({ FLOWLIGHT_DB: path.join(dir, 'api.db'), FLOWLIGHT_PORT: '0', FLOWLIGHT_LOG_LEVEL: 'warn' }),
  );
  try {
    const child = spawn(process.execPath, [...childProfile, '--import', 'tsx', path.join(here, 'ingest-child.ts'), String(N)], {
      env: { ...process.env, FLOWLIGHT_API_URL: server.url, FLOWLIGHT_PRINT_LOGS: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const apiCpu0 = process.cpuUsage();
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => child.on('exit', r));
    const apiCpu = process.cpuUsage(apiCpu0);
    const { ms, cpuMs } = JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; cpuMs: number };
    const res = await fetch(`${server.url}/api/flow-runs?limit=1`);
    const list = (await res.json()) as { items: { id: string; taskRunCount: number; state: { name: string } }[] };
    const run = list.items[0]!;
    if (run.taskRunCount !== N || run.state.name !== 'Completed') {
      throw new Error(`expected ${N} task runs in a Completed flow run, found ${run.taskRunCount} (${run.state.name})`);
    }
    return { ms, rss: process.memoryUsage().rss / 1e6, engineCpuMs: cpuMs, apiCpuMs: (apiCpu.user + apiCpu.system) / 1000 };
  } finally {
    await server.close();
  }
}

const raw = rawInserts();
const e2e = await endToEnd().finally(() => rmSync(dir, { recursive: true, force: true }));
const rate = (ms: number) => Math.round(N / (ms / 1000));
console.log(`ingest, ${N.toLocaleString()} task runs (3 state events each)`);
console.log(`  baseline: raw batched better-sqlite3 inserts   ${rate(raw).toLocaleString()} task runs/s`);
console.log(`  engine → socket.io → API → SQLite             ${rate(e2e.ms).toLocaleString()} task runs/s  (${((rate(e2e.ms) / rate(raw)) * 100).toFixed(0)}% of raw)`);
console.log(`  API process RSS after ingest: ${e2e.rss.toFixed(0)} MB`);
const perRun = (ms: number) => ((ms * 1000) / N).toFixed(0);
console.log(`  CPU per task run: engine process ${perRun(e2e.engineCpuMs)} µs, API process (all threads, incl. its start of the child) ${perRun(e2e.apiCpuMs)} µs`);
console.log(`  goal: ≥ 25,000 task runs/s and ≥ 25% of raw`);
