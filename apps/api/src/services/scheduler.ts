/**
 * The scheduler: every second, each deployment whose schedule is on gets its next runs created
 * ahead of time as Scheduled (the next `aheadCount` occurrences within `aheadMs`, whichever is
 * fewer; one run per occurrence, so ticks and restarts never duplicate), and runs of deployments
 * not started LATE_AFTER_MS after their time become Late. Workers claim the due runs.
 * Pausing a schedule stops new runs and removes the not-yet-due runs it had created (as Prefect
 * does); due, late and requested runs stay. A schedule whose workers have all been gone for
 * `idleAfterMs` idles (no new runs) until a worker asks for work again, so a deployment nobody
 * serves any more does not pile up Late runs forever; its last ones show it is late.
 */
import { LATE_AFTER_MS } from '@flowlight/schema';
import type { DeltaHub } from '../live/deltaHub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';
import { occurrences } from './schedule.js';

export interface SchedulerOptions {
  /** @default Date.now */
  now?: () => number;
  /** How often the scheduler looks. @default 1000 */
  intervalMs?: number;
  /** Runs created ahead per deployment. @default 3 */
  aheadCount?: number;
  /** How far ahead runs are created. @default 600000 (10 minutes) */
  aheadMs?: number;
  /** No new runs for a deployment no worker has asked work for in this long. @default 3600000 (1 hour) */
  idleAfterMs?: number;
}

export function startScheduler(store: Store, hub: DeltaHub, logger: Logger, opts: SchedulerOptions = {}) {
  const now = opts.now ?? Date.now;
  const aheadCount = opts.aheadCount ?? 3;
  const aheadMs = opts.aheadMs ?? 600_000;
  const idleAfterMs = opts.idleAfterMs ?? 3_600_000;

  function tick(): number {
    let created = 0;
    try {
      const t = now();
      for (const s of store.deployments.activeSchedules()) {
        if ((s.lastWorkerSeenAt ?? 0) < t - idleAfterMs) continue;
        const slots = occurrences(s.schedule, s.anchor, t, t + aheadMs, aheadCount);
        if (!slots.length) continue;
        const changes = store.deployments.addScheduledRuns(s.id, slots);
        created += changes.flowRunIds.size;
        if (changes.flowRunIds.size) hub.publish(changes);
      }
      const late = store.deployments.markLate(t - LATE_AFTER_MS);
      if (late.flowRunIds.size) {
        hub.publish(late);
        logger.info(`${late.flowRunIds.size} scheduled run(s) are late`, { flowRunIds: [...late.flowRunIds].slice(0, 10) });
      }
    } catch (err) {
      logger.error('scheduler tick failed', { err });
    }
    return created;
  }

  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 1000);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
export type Scheduler = ReturnType<typeof startScheduler>;
