/**
 * Time, injected: the engine never calls setTimeout or Date.now directly, so retries, delays,
 * timeouts and pauses are tested on a `FakeClock` with no real waiting.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new Error('aborted');

export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface Timer {
  due: number;
  order: number;
  resolve: () => void;
}

/**
 * Virtual time. With `auto` (the default) it jumps straight to the next timer whenever the
 * program has nothing else to do (checked on `setImmediate`, after pending promise jobs), so a
 * 30 s retry delay takes microseconds and timers still fire in the order of their due time.
 * With `auto: false`, time moves only through `advance(ms)`.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private order = 0;
  private scheduled = false;
  private readonly auto: boolean;

  constructor(opts: { start?: number; auto?: boolean } = {}) {
    this.current = opts.start ?? Date.UTC(2026, 0, 1);
    this.auto = opts.auto ?? true;
  }

  now(): number {
    return this.current;
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        due: this.current + Math.max(0, ms),
        order: this.order++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.timers.sort((a, b) => a.due - b.due || a.order - b.order);
      if (this.auto) this.schedule();
    });
  }

  /** Moves time forward by `ms`, firing due timers in order and letting each one's work run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.due);
      next.resolve();
    }
    this.current = target;
    await settle();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.timers.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.due);
      next.resolve();
      if (this.timers.length) this.schedule();
    });
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));
