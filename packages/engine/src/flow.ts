/**
 * `flow()`: a function whose every call is a flow run — parameters validated, states recorded,
 * tasks inside tracked, pause/cancel honoured, hooks called. A flow called inside a flow is a
 * child flow run linked to its parent.
 */
import type { z } from 'zod';
import { generateRunName } from '@flowlight/schema';
import { currentContext, runStorage, type RunContextStore } from './context.js';
import {
  CancelledError,
  MissingContextError,
  ParameterValidationError,
  PauseTimeoutError,
  RunTimeoutError,
  TaskUsageError,
  UnobservedTaskFailureError,
} from './errors.js';
import { FINAL_HOOK, runHooks } from './hooks.js';
import { captureConsole } from './logger.js';
import { validateOptions, type CommonOptions } from './options.js';
import { enterRunning, retryAfterFailure } from './retry.js';
import { errorSummary } from './preview.js';
import { DEFAULT_PAUSE_TIMEOUT_SECONDS, FlowRun, Semaphore } from './runs.js';
import { engine } from './runtime.js';
import type { State } from './state.js';
import { serve, toDeployment, type DeploymentDef, type Servable, type ServeOptions, type Worker, type WorkerOptions } from './serve.js';

export type FlowHook = (flow: AnyFlow, flowRun: FlowRun, state: State) => unknown;

export interface FlowOptions<Args extends unknown[] = unknown[]> extends CommonOptions<FlowHook> {
  /** Name of each run. @default a generated two-word name like 'amber-heron' */
  flowRunName?: string | ((...args: Args) => string);
  /**
   * A zod schema for the flow's first argument (its parameters). Parameters that fail it give a
   * Failed run listing the issues, and no user code runs.
   */
  parameters?: z.ZodType;
  /** At most this many submitted task runs of one flow run run at once. @default unlimited */
  maxConcurrency?: number;
}

export interface Flow<Args extends unknown[], R> {
  (...args: Args): Promise<Awaited<R>>;
  readonly name: string;
  readonly options: Readonly<FlowOptions<Args>>;
  /** A copy with options overridden; with `returnState: true` calls return the final State and never throw. */
  withOptions(overrides: FlowOptions<Args> & { returnState: true }): StateFlow<Args, R>;
  withOptions(overrides: FlowOptions<Args> & { returnState?: false }): Flow<Args, R>;
  /** Runs with extra run metadata (used by workers). @internal */
  runWith(meta: RunMeta, ...args: Args): Promise<State<Awaited<R>>>;
  /** This flow as a deployment, for `serve(...)`. */
  toDeployment(options?: ServeOptions): DeploymentDef;
  /**
   * Registers a deployment of this flow and keeps the process as a worker running its runs.
   * @example await etl.serve({ name: 'hourly', cron: '0 * * * *', parameters: { source: 's3' } })
   */
  serve(options?: ServeOptions & WorkerOptions): Promise<Worker>;
}

export interface StateFlow<Args extends unknown[], R> {
  (...args: Args): Promise<State<Awaited<R>>>;
  readonly name: string;
  readonly options: Readonly<FlowOptions<Args>>;
}

export interface RunMeta {
  flowRunId?: string;
  deploymentId?: string;
  flowRunName?: string;
  tags?: readonly string[];
  /** The run was created and claimed in the API (it is already Pending there). */
  claimed?: { nextSeq: number; retry: boolean };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFlow = { readonly name: string; readonly options: Readonly<FlowOptions<any>> };

interface FlowDef {
  fn: (...args: unknown[]) => unknown;
  name: string;
  options: FlowOptions<unknown[]>;
  self: AnyFlow;
}

/**
 * Defines a flow.
 * @example
 * const etl = flow({ name: 'etl', retries: 1 }, async (day: string) => load(await transform(await extract(day))));
 * await etl('2026-11-29');
 */
export function flow<Args extends unknown[], R>(fn: (...args: Args) => R): Flow<Args, R>;
export function flow<Args extends unknown[], R>(options: FlowOptions<Args>, fn: (...args: Args) => R): Flow<Args, R>;
export function flow<Args extends unknown[], R>(
  a: FlowOptions<Args> | ((...args: Args) => R),
  b?: (...args: Args) => R,
): Flow<Args, R> {
  const [options, fn] = typeof a === 'function' ? [{} as FlowOptions<Args>, a] : [a, b];
  if (typeof fn !== 'function') throw new TaskUsageError('flow() needs a function: flow(options, fn) or flow(fn)');
  return makeFlow(fn as (...args: unknown[]) => unknown, options as FlowOptions<unknown[]>, false) as unknown as Flow<Args, R>;
}

function makeFlow(fn: (...args: unknown[]) => unknown, options: FlowOptions<unknown[]>, returnState: boolean) {
  const name = options.name ?? (fn.name || 'anonymous-flow');
  validateOptions('flow', `flow '${name}'`, options);
  if (options.logConsole) captureConsole();
  const def: FlowDef = { fn, name, options, self: undefined as unknown as AnyFlow };
  const call = async (...args: unknown[]) => {
    const state = await runFlow(def, args, {});
    return returnState ? state : state.result();
  };
  const f = Object.assign(call, {
    options: Object.freeze({ ...options }),
    withOptions: (overrides: FlowOptions<unknown[]> & { returnState?: boolean }) => {
      const { returnState: rs, ...rest } = overrides;
      return makeFlow(fn, { ...options, ...rest }, rs ?? returnState);
    },
    runWith: (meta: RunMeta, ...args: unknown[]) => runFlow(def, args, meta),
    toDeployment: (opts?: ServeOptions) => toDeployment(def.self as unknown as Servable, opts),
    serve: (opts: ServeOptions & WorkerOptions = {}) => {
      const { limit, pollMs, workerId, ...deployment } = opts;
      const w: WorkerOptions = {};
      if (limit !== undefined) w.limit = limit;
      if (pollMs !== undefined) w.pollMs = pollMs;
      if (workerId !== undefined) w.workerId = workerId;
      return serve(toDeployment(def.self as unknown as Servable, deployment), w);
    },
  });
  Object.defineProperty(f, 'name', { value: name });
  def.self = f as unknown as AnyFlow;
  return f;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs one flow run to its final state. Never throws: errors become states. */
async function runFlow(def: FlowDef, rawArgs: unknown[], meta: RunMeta): Promise<State> {
  const o = def.options;
  const parent = currentContext();
  const runName = meta.flowRunName ?? flowRunNameOf(o, rawArgs);
  const run = new FlowRun({
    id: meta.flowRunId ?? crypto.randomUUID(),
    name: runName,
    flowName: def.name,
    tags: meta.tags ? [...new Set([...(o.tags ?? []), ...meta.tags])] : (o.tags ?? []),
    parameters: rawArgs.length === 1 ? rawArgs[0] : rawArgs,
    parentFlowRunId: parent?.flowRun.id,
    parentTaskRunId: parent?.taskRun?.id,
    flowVersion: o.version,
    deploymentId: meta.deploymentId,
    seqStart: meta.claimed?.nextSeq,
  });
  if (o.maxConcurrency) run.semaphore = new Semaphore(o.maxConcurrency);
  const hookTarget = { flowRun: run, taskRun: undefined };
  run.crashHooks = (r, s) => runHooks('onCrashed', o.onCrashed, [def.self, r, s], hookTarget);
  // A cancelled parent cancels its children.
  const parentSignal = parent?.flowRun.signal;
  const onParentAbort = () => run.cancel('The parent flow run was cancelled');
  parentSignal?.addEventListener('abort', onParentAbort, { once: true });

  engine.register(run);
  try {
    if (!meta.claimed) run.setState('PENDING');
    let args = rawArgs;
    if (o.parameters) {
      const parsed = o.parameters.safeParse(rawArgs[0]);
      if (!parsed.success) {
        const error = new ParameterValidationError(
          def.name,
          parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        );
        return await finish(def, run, 'FAILED', { message: error.message, error });
      }
      args = [parsed.data, ...rawArgs.slice(1)];
    }
    const retries = o.retries ?? 0;
    for (;;) {
      enterRunning(run, retries, meta.claimed?.retry);
      if (o.onRunning) await runHooks('onRunning', o.onRunning, [def.self, run, run.state], hookTarget);
      const outcome = await attempt(def, run, args, parent);
      if (run.crashed) return run.state;
      if (run.cancelRequested) return await finishCancelled(def, run);
      let error: unknown;
      if (run.pauseTimedOut) error = run.pauseTimedOut;
      else if (!outcome.ok) error = outcome.error;
      else if (run.unobserved.size > 0) {
        const failed = [...run.unobserved];
        error = new UnobservedTaskFailureError(
          failed.map((t) => t.name),
          failed[0]!.state.message ?? 'failed',
        );
      }
      if (error === undefined) return await finish(def, run, 'COMPLETED', { value: (outcome as { value: unknown }).value });
      const retryable = !(error instanceof ParameterValidationError || error instanceof PauseTimeoutError);
      // A cancel during the retry delay ends the wait (and the run) at once.
      const again = retryable && (await retryAfterFailure(o, run, error, hookTarget, run.controller.signal).catch(() => false));
      if (run.cancelRequested) return await finishCancelled(def, run);
      if (again) {
        run.unobserved.clear();
        continue;
      }
      const timedOut = error instanceof RunTimeoutError;
      return await finish(def, run, 'FAILED', { name: timedOut ? 'TimedOut' : 'Failed', message: errorSummary(error), error });
    }
  } catch (error) {
    // Only engine code runs here (user code is contained in attempt() and hooks): a crash.
    if (!run.crashed) {
      const message = `Flowlight engine error outside user code: ${errorSummary(error)}`;
      await run.crash(message);
    }
    return run.state;
  } finally {
    parentSignal?.removeEventListener('abort', onParentAbort);
    engine.unregister(run);
    if (!parent) await engine.reporter.flush();
  }
}

async function finish(
  def: FlowDef,
  run: FlowRun,
  type: 'COMPLETED' | 'FAILED' | 'CANCELLED',
  change: Parameters<FlowRun['setState']>[1],
): Promise<State> {
  const state = run.setState(type, change);
  const kind = FINAL_HOOK[type];
  await runHooks(kind, def.options[kind], [def.self, run, state], { flowRun: run, taskRun: undefined });
  return state;
}

/** Cancelled, with the message of the cancel request (the Cancelling state's). */
const finishCancelled = (def: FlowDef, run: FlowRun): Promise<State> =>
  finish(def, run, 'CANCELLED', {
    message: run.state.message ?? 'Cancelled',
    error: new CancelledError(run.state.message ?? 'The flow run was cancelled'),
  });

/**
 * One attempt of the flow function: runs it in the run context, then waits for its submitted
 * tasks. Resolves early on cancellation (after running tasks settle) or timeout.
 */
async function attempt(def: FlowDef, run: FlowRun, args: unknown[], parent: RunContextStore | undefined): Promise<Outcome> {
  const o = def.options;
  const attemptController = run.beginAttempt();
  const store: RunContextStore = {
    flowRun: run,
    taskRun: undefined,
    signal: run.signal,
    logConsole: o.logConsole ?? parent?.logConsole ?? false,
  };
  const body = (async (): Promise<Outcome> => {
    let outcome: Outcome;
    try {
      outcome = { ok: true, value: await runStorage.run(store, def.fn, ...args) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await settleTasks(run);
    return outcome;
  })();
  const stoppers: Promise<Outcome>[] = [body];
  const cancelled = new Promise<Outcome>((resolve) => {
    run.onCancel = () => {
      void settleTasks(run).then(() =>
        resolve({ ok: false, error: run.pauseTimedOut ?? new CancelledError('The flow run was cancelled') }),
      );
    };
  });
  stoppers.push(cancelled);
  const timer = new AbortController();
  if (o.timeoutSeconds) {
    const seconds = o.timeoutSeconds;
    stoppers.push(
      engine.clock.sleep(seconds * 1000, timer.signal).then(
        async (): Promise<Outcome> => {
          const error = new RunTimeoutError(run.name, seconds);
          attemptController.abort(error);
          run.abortPause(error);
          await settleTasks(run);
          return { ok: false, error };
        },
        () => new Promise<Outcome>(() => undefined),
      ),
    );
  }
  try {
    return await Promise.race(stoppers);
  } finally {
    timer.abort();
    run.onCancel = undefined;
  }
}

/** Waits until no task run of this flow run is in flight (tasks started meanwhile included). */
async function settleTasks(run: FlowRun): Promise<void> {
  while (run.inflight.size > 0) {
    await Promise.allSettled([...run.inflight].map((t) => t.done));
  }
}

function flowRunNameOf(o: FlowOptions<unknown[]>, args: unknown[]): string {
  if (o.flowRunName === undefined) return generateRunName();
  try {
    return typeof o.flowRunName === 'string' ? o.flowRunName : String(o.flowRunName(...args));
  } catch {
    return generateRunName();
  }
}

/**
 * Pauses the current flow run until it is resumed (from the dashboard, the API or
 * `controlFlowRun(id, 'resume')`). Fails the run if nobody resumes it within `timeoutSeconds`.
 * @example await pause({ timeoutSeconds: 600 }); // wait for approval
 */
export async function pause(opts: { timeoutSeconds?: number; message?: string } = {}): Promise<void> {
  const store = currentContext();
  if (!store) throw new MissingContextError('pause() was called outside a flow run: call it inside a flow');
  if (store.taskRun) throw new TaskUsageError('pause() was called inside a task: call it from the flow function itself');
  const timeout = opts.timeoutSeconds ?? DEFAULT_PAUSE_TIMEOUT_SECONDS;
  await store.flowRun.pauseNow(timeout, opts.message ?? `Paused; waiting to be resumed (timeout ${timeout}s)`);
}
