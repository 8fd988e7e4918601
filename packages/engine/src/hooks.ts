/**
 * State hooks run after the state is recorded. A hook that throws is logged on the run as an
 * error line and changes nothing else.
 */
import { LogLevel } from '@flowlight/schema';
import { emitLog } from './logger.js';
import { errorSummary } from './preview.js';
import type { FlowRun, TaskRun } from './runs.js';

export async function runHooks<A extends unknown[]>(
  kind: string,
  hooks: readonly ((...args: A) => unknown)[] | undefined,
  args: A,
  target: { flowRun: FlowRun; taskRun: TaskRun | undefined },
): Promise<void> {
  if (!hooks || hooks.length === 0) return;
  for (const hook of hooks) {
    try {
      await hook(...args);
    } catch (error) {
      const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
      emitLog(target, LogLevel.error, `${kind} hook '${hook.name || 'anonymous'}' failed: ${errorSummary(error)}${stack}`);
    }
  }
}
