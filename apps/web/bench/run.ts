/**
 * `pnpm bench` for the dashboard: real API (child process, SQLite file seeded with
 * FLOWLIGHT_BENCH_RUNS flow runs, default 100,000; the figure with 1000000), the built
 * dashboard, real Chromium and real engine processes. Each figure is printed beside a baseline
 * measured in the same run. Builds apps/web when dist is missing or older than the sources
 * (FLOWLIGHT_BENCH_BUILD=0 skips, =1 forces). Smaller knobs: FLOWLIGHT_BENCH_TASKS (10,000),
 * FLOWLIGHT_BENCH_MARKERS (50), FLOWLIGHT_BENCH_RATE (1,000 state changes/s),
 * FLOWLIGHT_WEB_BENCH_ITER (10 Runs page navigations), FLOWLIGHT_WEB_BENCH_NAVS (5 run detail loads).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { seedDb, startApi } from '../../api/bench/query.js';
import { liveLatencyBench } from './live-latency.js';
import { runDetailBench } from './run-detail.js';
import { runsPageBench } from './runs-page.js';
import { chromiumLaunchOptions } from '../../../chromium.config.js';
import { loadAverage, sleep } from './support.js';

const RUNS = Number(process.env.FLOWLIGHT_BENCH_RUNS ?? 100_000);
const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

function ensureBuild(): void {
  const index = path.join(webDir, 'dist/index.html');
  const flag = process.env.FLOWLIGHT_BENCH_BUILD;
  const stale = !fs.existsSync(index) || newestMtime(path.join(webDir, 'src')) > fs.statSync(index).mtimeMs;
  if (flag === '0' || (flag !== '1' && !stale)) return;
  console.log('building apps/web (dist missing or older than src) …');
  const r = spawnSync('pnpm', ['run', 'build'], { cwd: webDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('pnpm --filter @flowlight/web build failed');
}

/** Waits until a process is gone (so its database files can be removed). */
async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
}

const t0 = performance.now();
console.log(`dashboard benchmarks (Chromium ${'/usr/bin/chromium'}, ${os.cpus().length} cores, load average ${loadAverage()})`);
ensureBuild();
/** FLOWLIGHT_BENCH_DB: seed this file once and keep it (later runs reuse it, with the runs earlier runs added). */
const keep = process.env.FLOWLIGHT_BENCH_DB ? path.resolve(process.env.FLOWLIGHT_BENCH_DB) : null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlight-webbench-'));
const dbPath = keep ?? path.join(dir, 'bench.db');
let apiPid: number | null = null;
process.on('exit', () => {
  if (apiPid !== null) {
    try {
      process.kill(apiPid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

if (!keep || !fs.existsSync(keep)) seedDb(dbPath, RUNS, 0);
else console.log(`  reusing ${keep} (FLOWLIGHT_BENCH_DB)`);
const api = await startApi(dbPath);
apiPid = api.pid;
const browser = await chromium.launch(chromiumLaunchOptions);
let failed = false;
try {
  await runsPageBench(browser, api.url);
  await runDetailBench(browser, api.url);
  await liveLatencyBench(browser, api.url);
} catch (err) {
  failed = true;
  console.error('dashboard benchmark failed:', err);
} finally {
  await browser.close();
  api.stop();
  await gone(api.pid);
  apiPid = null;
}
console.log(`\ndone in ${((performance.now() - t0) / 1000).toFixed(0)} s, load average ${loadAverage()}`);
process.exit(failed ? 1 : 0);
