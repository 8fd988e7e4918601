/**
 * The run context: which flow run and task run the calling code belongs to, carried through
 * awaits by AsyncLocalStorage. `getRunContext()` and `getRunLogger()` read it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MissingContextError } from './errors.js';
import type { FlowRun, TaskRun } from './runs.js';

export interface RunContextStore {
  flowRun: FlowRun;
  taskRun: TaskRun | undefined;
  /** Aborted when the run is cancelled or times out. */
  signal: AbortSignal;
  logConsole: boolean;
}

export const runStorage = new AsyncLocalStorage<RunContextStore>();

export const currentContext = (): RunContextStore | undefined => runStorage.getStore();

/** What user code can read about the run it is part of. */
export interface RunContext {
  flowRun: FlowRun;
  /** Set inside a task run. */
  taskRun: TaskRun | undefined;
  /** Aborted when the flow run is cancelled or the run times out: pass it to fetch() and the like. */
  signal: AbortSignal;
}

/**
 * The current run's context. Throws MissingContextError outside a flow or task run.
 * @example const { signal } = getRunContext(); await fetch(url, { signal });
 */
export function getRunContext(): RunContext {
  const store = runStorage.getStore();
  if (!store) {
    throw new MissingContextError(
      'getRunContext() was called outside a flow or task run: call it from code that a flow or task runs',
    );
  }
  return { flowRun: store.flowRun, taskRun: store.taskRun, signal: store.signal };
}
