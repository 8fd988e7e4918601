/**
 * Heartbeat watch: a live run (Pending/Running/Paused/Cancelling) whose last event is older than
 * the grace period becomes Crashed, with its unfinished task runs. Runs left behind by a previous
 * server are resolved by the first check at start.
 */
import type { DeltaHub } from '../live/deltaHub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';

export interface LivenessOptions {
  graceMs: number;
  now?: () => number;
}

export function startLiveness(store: Store, hub: DeltaHub, logger: Logger, opts: LivenessOptions): { check(): number; stop(): void } {
  const now = opts.now ?? Date.now;
  const seconds = Math.round((opts.graceMs / 1000) * 100) / 100;
  function check(): number {
    const crashed: string[] = [];
    try {
      for (const id of store.findStaleRuns(now() - opts.graceMs)) {
        const out = store.writeFlowRunState(
          id,
          {
            type: 'CRASHED',
            name: 'Crashed',
            timestamp: now(),
            message: `Crashed: heartbeat stopped — no heartbeat or event from the flow's process for more than ${seconds}s`,
          },
          { cascadeTasks: 'CRASHED' },
        );
        if (out.ok) {
          crashed.push(id);
          hub.publish(out.changes);
        }
      }
    } catch (err) {
      logger.error('heartbeat check failed', { err });
    }
    if (crashed.length) {
      logger.warn(`${crashed.length} flow run(s) crashed: heartbeat stopped`, { flowRunIds: crashed.slice(0, 10) });
    }
    return crashed.length;
  }
  check();
  const timer = setInterval(check, Math.max(50, Math.floor(opts.graceMs / 4)));
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
