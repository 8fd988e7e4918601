/**
 * Collects deltas and hands them over once per animation frame, merged, so a burst of a thousand
 * transitions costs one cache update and one render. A timer backs up the frame for hidden tabs,
 * where frames do not fire.
 */
import type { DeltaBatch } from '@flowlight/schema';
import { mergeBatches } from './patch';

export interface Scheduler {
  frame: (cb: () => void) => unknown;
  timeout: (cb: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const browserScheduler = (): Scheduler => ({
  frame: (cb) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16)),
  timeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

export function createCoalescer(flush: (batch: DeltaBatch) => void, scheduler: Scheduler = browserScheduler(), fallbackMs = 250) {
  let pending: DeltaBatch[] = [];
  let scheduled = false;
  let fallback: unknown = null;
  const run = () => {
    if (!scheduled) return;
    scheduled = false;
    if (fallback !== null) scheduler.clearTimeout(fallback);
    fallback = null;
    const batches = pending;
    pending = [];
    if (batches.length) flush(mergeBatches(batches));
  };
  return {
    push(batch: DeltaBatch) {
      pending.push(batch);
      if (scheduled) return;
      scheduled = true;
      scheduler.frame(run);
      fallback = scheduler.timeout(run, fallbackMs);
    },
    /** Applies whatever is pending right away. */
    flushNow: run,
    get pendingCount() {
      return pending.length;
    },
  };
}
