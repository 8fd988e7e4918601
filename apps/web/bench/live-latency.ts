/**
 * Live latency: from the engine recording a state change (the state's own timestamp, Date.now()
 * in the engine process) to the new badge in the browser DOM (Date.now() in a MutationObserver,
 * same machine clock), while a background engine process makes ~1,000 other state changes a second.
 * The page is the Runs list filtered to the marker flow, so it receives every run's deltas (the
 * `runs` room) but shows the marker rows. Baseline: an acknowledged socket.io round trip between
 * the same page and the API (`live.whenJoined()`) measured under the same load.
 */
import type { Browser } from '@playwright/test';
import type { FlowRunDetail } from '@flowlight/schema';
import { BACKGROUND_TRANSITIONS_PER_RUN, goal, line, ms, newContext, pct, sleep, startFlowProcess } from './support.js';

const MARKERS = Number(process.env.FLOWLIGHT_BENCH_MARKERS ?? 50);
const RATE = Number(process.env.FLOWLIGHT_BENCH_RATE ?? 1000);

interface BenchWindow {
  __bench: { seen: Record<string, number>; pings: number[]; pinging: boolean };
  __flowlight: { live: { whenJoined(timeoutMs?: number): Promise<void> } };
}

export async function liveLatencyBench(browser: Browser, base: string): Promise<{ p50: number; p95: number }> {
  console.log(`\nLive latency, ${MARKERS} marker flow runs (2 state changes each) while ~${RATE.toLocaleString('en')} other state changes/s go on`);
  const context = await newContext(browser);
  await context.addInitScript(() => {
    const w = window as unknown as BenchWindow;
    w.__bench = { seen: {}, pings: [], pinging: false };
    const seen = w.__bench.seen;
    const scan = () => {
      const now = Date.now();
      for (const row of document.querySelectorAll('[role=row][data-run-id]')) {
        const name = row.querySelector('[data-state-name]')?.getAttribute('data-state-name');
        if (!name) continue;
        const key = `${row.getAttribute('data-run-id')}|${name}`;
        if (!(key in seen)) seen[key] = now;
      }
    };
    new MutationObserver(scan).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state-name'] });
  });
  const page = await context.newPage();
  await page.goto(`${base}/runs?flow=bench-marker`);
  await page.locator('[data-live-status=connected]').first().waitFor({ timeout: 30_000 });
  await page.evaluate(() => (window as unknown as BenchWindow).__flowlight.live.whenJoined());

  const background = startFlowProcess('background', base, { FLOWLIGHT_BENCH_RATE: String(RATE) });
  let markers: ReturnType<typeof startFlowProcess> | null = null;
  try {
    await background.waitFor('started', 60_000);
    await sleep(2000); // let the load settle
    // Socket.io round trips from the page, every 100 ms for as long as the markers run.
    const pinger = page.evaluate(async () => {
      const w = window as unknown as BenchWindow;
      w.__bench.pinging = true;
      while (w.__bench.pinging) {
        const t = performance.now();
        await w.__flowlight.live.whenJoined();
        w.__bench.pings.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    pinger.catch(() => undefined);
    markers = startFlowProcess('marker', base, { FLOWLIGHT_BENCH_MARKERS: String(MARKERS) });
    const code = await markers.exit;
    if (code !== 0) throw new Error(`the marker process exited with ${code}`);
    await sleep(1000); // the last badges
  } finally {
    await markers?.stop();
    await page.evaluate(() => ((window as unknown as BenchWindow).__bench.pinging = false)).catch(() => undefined);
  }
  const bench = await page.evaluate(() => (window as unknown as BenchWindow).__bench);
  await background.stop();
  const bg = background.messages.find((m) => 'runs' in m) as { runs: number; seconds: number } | undefined;
  const stale = await page.getByRole('button', { name: 'Refresh list' }).count();
  await context.close();

  const latencies: number[] = [];
  let missing = 0;
  for (const m of markers.messages) {
    const id = m.marker as string;
    const detail = (await (await fetch(`${base}/api/flow-runs/${id}`)).json()) as FlowRunDetail;
    for (const name of ['Running', 'Completed']) {
      const state = detail.states.find((s) => s.name === name);
      const shown = bench.seen[`${id}|${name}`];
      if (!state) continue;
      if (shown === undefined) missing++;
      else latencies.push(shown - state.timestamp);
    }
  }
  const p50 = pct(latencies, 0.5);
  const p95 = pct(latencies, 0.95);
  const bgRate = bg ? (bg.runs * BACKGROUND_TRANSITIONS_PER_RUN) / bg.seconds : NaN;
  line('background load achieved (engine process, flows.ts background)', `${Math.round(bgRate).toLocaleString('en')} /s`, `${bg?.runs.toLocaleString('en') ?? '?'} flow runs of 3 tasks in ${bg?.seconds.toFixed(1) ?? '?'} s`);
  line('engine state change → badge in the DOM, p50', ms(p50), `${latencies.length} samples${missing ? `, ${missing} never shown` : ''}${stale ? ', list marked stale' : ''}`);
  line('engine state change → badge in the DOM, p95', ms(p95), `goal < 100 ms: ${goal(p95 < 100)}; max ${ms(Math.max(...latencies))}`);
  line('  baseline: socket.io round trip page ↔ API under the same load, p50 / p95', `${ms(pct(bench.pings, 0.5))} / ${ms(pct(bench.pings, 0.95))}`, `${bench.pings.length} samples`);
  return { p50, p95 };
}
