/**
 * Lays task runs out for the Gantt timeline: each run gets the first lane free at its start
 * (greedy interval partitioning with a min-heap), so sequential tasks share a lane and 10,000
 * task runs become as many lanes as ran at once, not 10,000 rows.
 */
import type { TaskRunSummary } from '@flowlight/schema';

export interface Bar {
  task: TaskRunSummary;
  start: number;
  end: number;
  lane: number;
  running: boolean;
}

export interface Layout {
  bars: Bar[];
  /** Bars per lane, sorted by start (for hit testing by binary search). */
  lanes: Bar[][];
  t0: number;
  t1: number;
}

class MinHeap {
  private a: { end: number; lane: number }[] = [];
  get size() {
    return this.a.length;
  }
  peek() {
    return this.a[0];
  }
  push(x: { end: number; lane: number }) {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ai = a[i]!;
      const ap = a[p]!;
      if (ap.end < ai.end || (ap.end === ai.end && ap.lane <= ai.lane)) break;
      a[i] = ap;
      a[p] = ai;
      i = p;
    }
  }
  pop() {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const less = (x: number, y: number) => a[x]!.end < a[y]!.end || (a[x]!.end === a[y]!.end && a[x]!.lane < a[y]!.lane);
        if (l < a.length && less(l, m)) m = l;
        if (r < a.length && less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function layoutTimeline(tasks: readonly TaskRunSummary[], now: number, runStart: number | null, runEnd: number | null): Layout {
  const started = tasks
    .filter((t) => t.startTime !== null)
    .map((t) => {
      const start = t.startTime as number;
      const running = t.endTime === null;
      return { task: t, start, end: Math.max(start, t.endTime ?? now), running, lane: 0 };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const heap = new MinHeap();
  const lanes: Bar[][] = [];
  for (const bar of started) {
    const free = heap.peek();
    if (free && free.end <= bar.start) {
      heap.pop();
      bar.lane = free.lane;
    } else bar.lane = lanes.length;
    (lanes[bar.lane] ??= []).push(bar);
    heap.push({ end: bar.end, lane: bar.lane });
  }
  let t0 = runStart ?? started[0]?.start ?? now;
  let t1 = runEnd ?? now;
  for (const b of started) {
    if (b.start < t0) t0 = b.start;
    if (b.end > t1) t1 = b.end;
  }
  if (t1 <= t0) t1 = t0 + 1000;
  return { bars: started, lanes, t0, t1 };
}

/** The bar under time `t` in a lane, or null. */
export function hitTest(lane: readonly Bar[] | undefined, t: number, slack: number): Bar | null {
  if (!lane?.length) return null;
  let lo = 0;
  let hi = lane.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lane[mid]!.start <= t + slack) lo = mid;
    else hi = mid - 1;
  }
  for (let i = lo; i >= 0 && i >= lo - 3; i--) {
    const b = lane[i]!;
    if (b.start - slack <= t && b.end + slack >= t) return b;
  }
  return null;
}

/** "Nice" tick step for a time span (ms) over a width in pixels. */
export function tickStep(spanMs: number, widthPx: number, minPx = 90): number {
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];
  const want = (spanMs / Math.max(1, widthPx)) * minPx;
  return steps.find((s) => s >= want) ?? 86_400_000 * Math.ceil(want / 86_400_000);
}
