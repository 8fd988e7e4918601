/**
 * Heartbeat watch: a live run (Pending/Running/Paused/Cancelling) whose last event is older than
 * the grace period becomes Crashed, with its unfinished task runs. Runs left behind by a previous
 * server are resolved by the first check at start.
 * A Paused run whose process is gone is not a crash: if its deployment allows suspension it
 * becomes Suspended (a resume re-runs it on a worker); otherwise it stays Paused until its pause
 * timeout, then Failed — as it would have in its process.
 */
import type { DeltaHub } from '../live/deltaHub.js';
import type { Logger } from '../logger.js';
import type { StateData } from '@flowlight/schema';
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
        const cur = store.currentState(id);
        if (cur?.type === 'PAUSED') {
          const out = pausedWithoutProcess(id, cur);
          if (out?.ok) hub.publish(out.changes);
          continue;
        }
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
  /** Suspended when its deployment allows it; Failed once its pause timeout passed; else untouched. */
  function pausedWithoutProcess(id: string, cur: StateData) {
    if (cur.name === 'Suspended') return null;
    const deploymentId = store.getFlowRunDeploymentId(id);
    if (deploymentId && store.deployments.get(deploymentId)?.allowSuspend) {
      return store.writeFlowRunState(id, {
        type: 'PAUSED',
        name: 'Suspended',
        timestamp: now(),
        message: "Suspended: the worker that paused this run is gone; Resume runs it again on a worker",
      });
    }
    const timeoutSeconds = typeof cur.data?.['timeoutSeconds'] === 'number' ? cur.data['timeoutSeconds'] : 3600;
    if (now() < cur.timestamp + timeoutSeconds * 1000) return null;
    return store.writeFlowRunState(
      id,
      {
        type: 'FAILED',
        name: 'Failed',
        timestamp: now(),
        message: `Flow run was paused and never resumed within ${timeoutSeconds}s (its process is gone)`,
      },
      { cascadeTasks: 'CRASHED' },
    );
  }

  check();
  const timer = setInterval(check, Math.max(50, Math.floor(opts.graceMs / 4)));
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
