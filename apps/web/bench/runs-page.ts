/**
 * Runs page with many stored runs: navigation → first rows of /runs, and state chip click →
 * filtered rows, measured in Chromium; baseline: the same list requests fetched from Node.
 */
import type { Browser } from '@playwright/test';
import type { ListFlowRunsResponse } from '@flowlight/schema';
import { goal, line, ms, newContext, pct } from './support.js';

const ITER = Number(process.env.FLOWLIGHT_WEB_BENCH_ITER ?? 10);

interface BenchWindow {
  __bench: { firstRow?: number };
}

async function fetchTimes(url: string, n: number): Promise<number[]> {
  await (await fetch(url)).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return times;
}

export async function runsPageBench(browser: Browser, base: string): Promise<{ firstRows: number; chip: number }> {
  const { counts } = (await (await fetch(`${base}/api/flow-runs?limit=1`)).json()) as ListFlowRunsResponse;
  const stored = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`\nRuns page, ${stored.toLocaleString('en')} flow runs stored (FLOWLIGHT_BENCH_RUNS), p50 of ${ITER} navigations`);
  const context = await newContext(browser);
  // Before any page script: note when the first run row enters the DOM (ms since navigation start).
  await context.addInitScript(() => {
    const w = window as unknown as BenchWindow;
    w.__bench = {};
    const mo = new MutationObserver(() => {
      if (document.querySelector('[role=row][data-run-id]')) {
        w.__bench.firstRow = performance.now();
        mo.disconnect();
      }
    });
    mo.observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const listRequests: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/flow-runs') listRequests.push(r.url());
  });

  const firstRows: number[] = [];
  const boots: number[] = [];
  const chips: number[] = [];
  let coldFirstRows = NaN;
  let listUrl = '';
  let failedUrl = '';
  for (let i = 0; i <= ITER; i++) {
    listRequests.length = 0;
    await page.goto(`${base}/runs`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.firstRow !== undefined, null, { timeout: 30_000, polling: 50 });
    const t = await page.evaluate(() => ({
      firstRow: (window as unknown as BenchWindow).__bench.firstRow!,
      boot: performance.getEntriesByName('flowlight:boot')[0]?.startTime ?? NaN,
    }));
    listUrl ||= listRequests[0] ?? '';
    // The chip click: from the click to every row in the DOM being a failed run.
    await page.getByRole('group', { name: 'Filter by state' }).getByRole('button', { name: /^Failed/ }).waitFor();
    listRequests.length = 0;
    const chip = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const btn = document.querySelector<HTMLButtonElement>('[role=group][aria-label="Filter by state"] button[data-state-type="FAILED"]');
          if (!btn) return reject(new Error('no Failed chip'));
          const filtered = () => {
            const rows = document.querySelectorAll('[role=row][data-run-id]');
            if (!rows.length) return false;
            for (const r of rows) if (r.getAttribute('data-state-type') !== 'FAILED') return false;
            return true;
          };
          const t0 = performance.now();
          const mo = new MutationObserver(() => {
            if (!filtered()) return;
            mo.disconnect();
            resolve(performance.now() - t0);
          });
          mo.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state-type'] });
          btn.click();
          setTimeout(() => (mo.disconnect(), reject(new Error('filtered rows did not appear within 30 s'))), 30_000);
        }),
    );
    failedUrl ||= listRequests.find((u) => u.includes('FAILED')) ?? '';
    if (i === 0) {
      coldFirstRows = t.firstRow;
      continue; // the first navigation loads the bundle cold; the p50 is over warm ones
    }
    firstRows.push(t.firstRow);
    boots.push(t.boot);
    chips.push(chip);
  }
  await context.close();

  const apiList = listUrl ? await fetchTimes(listUrl, ITER * 3) : [];
  const apiFailed = failedUrl ? await fetchTimes(failedUrl, ITER * 3) : [];
  const p = { firstRows: pct(firstRows, 0.5), chip: pct(chips, 0.5) };
  line('navigation → first rows of /runs, p50', ms(p.firstRows), `goal < 500 ms: ${goal(p.firstRows < 500)}`);
  line('  of which: navigation → app boot (bundle evaluated), p50', ms(pct(boots, 0.5)));
  line('  first (cold cache) navigation → first rows', ms(coldFirstRows));
  line('  baseline: the same list request from Node (fetch), p50', ms(pct(apiList, 0.5)), new URL(listUrl || base).search);
  line('click "Failed" chip → only failed rows in the DOM, p50', ms(p.chip), `goal < 200 ms: ${goal(p.chip < 200)}`);
  line('  baseline: the same filtered request from Node, p50', ms(pct(apiFailed, 0.5)), new URL(failedUrl || base).search);
  return p;
}
