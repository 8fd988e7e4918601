/**
 * State hooks run after the state is recorded, in the run's context (getRunLogger() works). A hook that throws is logged on the run as an
 * error line and changes nothing else.
 */
import { LogLevel } from '@flowlight/schema';
import { runStorage } from './context.js';
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
      // Hooks run in their run's context, so getRunLogger() works inside them.
      await runStorage.run({ ...target, signal: target.flowRun.signal, logConsole: false }, hook, ...args);
    } catch (error) {
      const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
      emitLog(target, LogLevel.error, `${kind} hook '${hook.name || 'anonymous'}' failed: ${errorSummary(error)}${stack}`);
    }
  }
}

/** The hook option each final state type calls. */
export const FINAL_HOOK = {
  COMPLETED: 'onCompletion',
  FAILED: 'onFailure',
  CANCELLED: 'onCancellation',
} as const;
