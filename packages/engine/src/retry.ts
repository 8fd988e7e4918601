/**
 * The retry policy of flows and tasks, in one place: after a failed attempt, decide whether
 * another attempt is allowed (`retries`, `retryCondition`), record AwaitingRetry with the
 * failed attempt's error, and wait out the delay on the engine's clock.
 */
import { LogLevel } from '@flowlight/schema';
import { emitLog } from './logger.js';
import { retryDelayMs, type CommonOptions } from './options.js';
import { errorSummary } from './preview.js';
import type { FlowRun, TaskRun } from './runs.js';
import { engine } from './runtime.js';

/** True (after the delay, with `attempt` advanced) when the run should try again. */
export async function retryAfterFailure(
  o: Pick<CommonOptions<unknown>, 'retries' | 'retryCondition' | 'retryDelaySeconds' | 'retryJitterFactor'>,
  run: FlowRun | TaskRun,
  error: unknown,
  target: { flowRun: FlowRun; taskRun: TaskRun | undefined },
  signal?: AbortSignal,
): Promise<boolean> {
  const retries = o.retries ?? 0;
  if (run.attempt > retries) return false;
  if (o.retryCondition) {
    try {
      if (!(await o.retryCondition(error, run.attempt))) return false;
    } catch (e) {
      emitLog(target, LogLevel.error, `retryCondition failed: ${errorSummary(e)}; not retrying`);
      return false;
    }
  }
  const delay = retryDelayMs(o.retryDelaySeconds, run.attempt, o.retryJitterFactor);
  run.setState('SCHEDULED', {
    name: 'AwaitingRetry',
    message: `${errorSummary(error)} — retry ${run.attempt} of ${retries} in ${(delay / 1000).toFixed(1)}s`,
    error,
    data: { scheduledTime: engine.clock.now() + delay },
  });
  await engine.clock.sleep(delay, signal);
  run.attempt++;
  return true;
}

/** The Running state of an attempt: `Retrying` from the second attempt on. */
export function enterRunning(run: FlowRun | TaskRun, retries: number, rerun = false): void {
  if (run.attempt > 1) run.setState('RUNNING', { name: 'Retrying', message: `Attempt ${run.attempt} of ${retries + 1}` });
  else if (rerun) run.setState('RUNNING', { name: 'Retrying', message: 'Re-run requested' });
  else run.setState('RUNNING');
}
