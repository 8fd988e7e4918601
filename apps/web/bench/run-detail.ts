/**
 * Run detail with 10,000 task runs and 100,000 log lines (made by a real engine process):
 * navigation → interactive timeline, and frames per second while scrolling the logs.
 * Baseline: a blank page's requestAnimationFrame rate in the same browser.
 */
import type { Browser, Page } from '@playwright/test';
import type { FlowRunDetail, ListLogsResponse } from '@flowlight/schema';
import { goal, line, ms, newContext, pct, startFlowProcess } from './support.js';

const TASKS = Number(process.env.FLOWLIGHT_BENCH_TASKS ?? 10_000);
const NAVS = Number(process.env.FLOWLIGHT_WEB_BENCH_NAVS ?? 5);
const SCROLL_MS = 3000;
/** Pixels per frame: a fast, steady scroll (about 15 log lines a frame). */
const SCROLL_STEP = 300;

interface TimelineMarks {
  canvas?: number;
  drawn?: number;
  interactive?: number;
  selected?: boolean;
}
interface BenchWindow {
  __bench: TimelineMarks;
}

/** Counts animation frames for `durationMs`, scrolling `selector` by `step` px a frame when given. */
function countFrames(page: Page, durationMs: number, selector: string | null, step: number) {
  return page.evaluate(
    ({ durationMs, selector, step }) =>
      new Promise<{ fps: number; worstFrame: number; scrolled: number }>((resolve) => {
        const el = selector ? document.querySelector<HTMLElement>(selector) : null;
        let frames = 0;
        let worst = 0;
        let t0 = 0;
        let last = 0;
        const start0 = el?.scrollTop ?? 0;
        const tick = (t: number) => {
          if (!t0) t0 = last = t;
          else {
            frames++;
            worst = Math.max(worst, t - last);
            last = t;
          }
          if (el) el.scrollTop += step;
          if (t - t0 < durationMs) requestAnimationFrame(tick);
          else resolve({ fps: (frames * 1000) / (t - t0), worstFrame: worst, scrolled: (el?.scrollTop ?? 0) - start0 });
        };
        requestAnimationFrame(tick);
      }),
    { durationMs, selector, step },
  );
}

export async function runDetailBench(browser: Browser, base: string): Promise<{ interactive: number; fps: number }> {
  console.log(`\nRun detail, one flow run with ${TASKS.toLocaleString('en')} task runs and ${(TASKS * 10).toLocaleString('en')} log lines`);
  const t0 = performance.now();
  const engine = startFlowProcess('big', `${base}`, { FLOWLIGHT_BENCH_TASKS: String(TASKS) });
  const { flowRunId } = (await engine.waitFor('flowRunId')) as { flowRunId: string };
  const code = await engine.exit;
  if (code !== 0) throw new Error(`the engine process making the big run exited with ${code}`);
  const made = performance.now() - t0;
  const detail = (await (await fetch(`${base}/api/flow-runs/${flowRunId}`)).json()) as FlowRunDetail;
  let logLines = 0;
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: ListLogsResponse = await (await fetch(`${base}/api/flow-runs/${flowRunId}/logs?direction=forward&limit=5000${cursor ? `&cursor=${cursor}` : ''}`)).json();
    logLines += page.items.length;
    cursor = page.items.length ? page.nextCursor : null;
  }
  line(
    '  made by an engine process (flows.ts big) in',
    ms(made),
    `${detail.taskRunCount.toLocaleString('en')} task runs, ${logLines.toLocaleString('en')} log lines stored, ${detail.state.name}`,
  );

  const context = await newContext(browser);
  // Before any page script: when the timeline canvas appears, is first painted, and answers a click.
  await context.addInitScript(() => {
    const w = window as unknown as BenchWindow;
    w.__bench = {};
    const painted = (c: HTMLCanvasElement) => {
      if (!c.width || !c.height) return false;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
      return false;
    };
    const frame = (): void => {
      const c = document.querySelector<HTMLCanvasElement>('canvas[data-testid="task-timeline"]');
      if (!c || !painted(c)) {
        requestAnimationFrame(frame);
        return;
      }
      w.__bench.drawn = performance.now();
      // Click a lane in the middle of the chart: the handler hit-tests the bars (and selects one if hit).
      const r = c.getBoundingClientRect();
      const before = location.search;
      c.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + 22 + 9 }));
      requestAnimationFrame(() => {
        w.__bench.interactive = performance.now();
        w.__bench.selected = location.search !== before;
      });
    };
    const mo = new MutationObserver(() => {
      if (!document.querySelector('canvas[data-testid="task-timeline"]')) return;
      mo.disconnect();
      w.__bench.canvas = performance.now();
      requestAnimationFrame(frame);
    });
    mo.observe(document, { childList: true, subtree: true });
  });
  let page = await context.newPage();

  const marks: Required<TimelineMarks>[] = [];
  for (let i = 0; i <= NAVS; i++) {
    await page.goto(`${base}/runs/${flowRunId}`, { waitUntil: 'commit' });
    await page
      .waitForFunction(() => (window as unknown as BenchWindow).__bench.interactive !== undefined, null, { timeout: 60_000, polling: 50 })
      .catch(async (err: Error) => {
        const seen = await page.evaluate(() => ({ marks: (window as unknown as BenchWindow).__bench, url: location.href, text: document.body.innerText.slice(0, 400) }));
        throw new Error(`navigation ${i}: the timeline did not become interactive: ${JSON.stringify(seen)}`, { cause: err });
      });
    const m = await page.evaluate(() => (window as unknown as BenchWindow).__bench as Required<TimelineMarks>);
    if (i > 0) marks.push(m); // the first navigation loads the bundle cold
  }

  await context.close();

  // Frames while scrolling the logs (the Logs tab, the default one), in a context without the timeline click.
  const scrollContext = await newContext(browser);
  page = await scrollContext.newPage();
  await page.goto(`${base}/runs/${flowRunId}`);
  const list = page.getByRole('list', { name: 'Log lines' });
  await list.getByRole('listitem').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  const scroll = await countFrames(page, SCROLL_MS, '[role=list][aria-label="Log lines"]', SCROLL_STEP);
  const loaded = await page.locator('[aria-live=polite]', { hasText: /lines?$/ }).first().textContent();
  await page.goto('about:blank');
  const blank = await countFrames(page, SCROLL_MS, null, 0);
  await scrollContext.close();

  const interactive = pct(
    marks.map((m) => m.interactive),
    0.5,
  );
  line('navigation → interactive timeline, p50', ms(interactive), `goal < 1 s: ${goal(interactive < 1000)}`);
  line(
    '  canvas in the DOM / first painted, p50',
    `${ms(pct(marks.map((m) => m.canvas), 0.5))} / ${ms(pct(marks.map((m) => m.drawn), 0.5))}`,
    `(click selected a task: ${marks.filter((m) => m.selected).length}/${marks.length})`,
  );
  line(
    `scrolling the logs for ${SCROLL_MS / 1000} s at ${SCROLL_STEP} px/frame`,
    `${scroll.fps.toFixed(1)} fps`,
    `goal 60 fps (≥ 95% of blank): ${goal(scroll.fps >= 0.95 * blank.fps)}; worst frame ${ms(scroll.worstFrame)}, ${Math.round(scroll.scrolled / 20).toLocaleString('en')} lines passed, ${loaded?.trim()} loaded`,
  );
  line('  baseline: blank page requestAnimationFrame rate', `${blank.fps.toFixed(1)} fps`, `worst frame ${ms(blank.worstFrame)}`);
  return { interactive, fps: scroll.fps };
}
