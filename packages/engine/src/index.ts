/**
 * @flowlight/engine — write flows and tasks in TypeScript; every state change and log line is
 * reported to a Reporter (in memory by default, the Flowlight API when FLOWLIGHT_API_URL is set).
 */
export { flow, pause, type Flow, type FlowOptions, type FlowHook, type StateFlow, type RunMeta } from './flow.js';
export {
  task,
  unmapped,
  Unmapped,
  type Task,
  type TaskOptions,
  type TaskHook,
  type StateTask,
  type CacheKeyContext,
  type MapArgs,
  type MaybeFutures,
} from './task.js';
export { serve, toDeployment, Worker, WorkerError, type ServeOptions, type WorkerOptions, type DeploymentDef, type Servable } from './serve.js';
export { TaskRunFuture, TaskRunFutureList, TaskCall } from './future.js';
export { State, type ResultOptions } from './state.js';
export { FlowRun, TaskRun } from './runs.js';
export { getRunLogger, type RunLogger } from './logger.js';
export { getRunContext, type RunContext } from './context.js';
export { exponentialBackoff, type RetryDelay, type CommonOptions } from './options.js';
export { configure, getReporter, flushEvents, shutdown, controlFlowRun, clearTaskCache, type EngineConfig } from './runtime.js';
export { FakeClock, realClock, type Clock } from './clock.js';
export type { Reporter } from './reporter.js';
export { MemoryReporter } from './reporters/memory.js';
export { ApiReporter, type ApiReporterOptions } from './reporters/api.js';
export { toPreview, toErrorData } from './preview.js';
export * from './errors.js';
export { StateType, StateName, isTerminal, type StateData } from '@flowlight/schema';
