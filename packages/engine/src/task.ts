/**
 * `task()`: a function whose every call inside a flow is a task run with states, retries,
 * timeouts, caching and hooks. Direct calls return the result; `.submit()` and `.map()` return
 * futures; `.withOptions()` copies the task with options overridden.
 */
import { currentContext, runStorage, type RunContextStore } from './context.js';
import { CancelledError, RunTimeoutError, TaskUsageError, UpstreamTaskError } from './errors.js';
import { TaskCall, TaskRunFuture, TaskRunFutureList } from './future.js';
import { FINAL_HOOK, runHooks } from './hooks.js';
import { captureConsole } from './logger.js';
import { validateOptions, type CommonOptions } from './options.js';
import { enterRunning, retryAfterFailure } from './retry.js';
import { errorSummary } from './preview.js';
import { TaskRun, nextTaskRunId, type FlowRun } from './runs.js';
import { engine } from './runtime.js';
import type { State } from './state.js';

export type TaskHook = (task: AnyTask, taskRun: TaskRun, state: State) => unknown;

/** What `cacheKey` receives besides the arguments. */
export interface CacheKeyContext {
  taskName: string;
  flowRunId: string;
  flowName: string;
}

export interface TaskOptions<Args extends unknown[] = unknown[]> extends CommonOptions<TaskHook> {
  /** Name of each run. @default `${name}-${n}` */
  taskRunName?: string | ((...args: Args) => string);
  /** Runs with the same key reuse a Completed result (state Cached) until it expires. */
  cacheKey?: (ctx: CacheKeyContext, args: Args) => string | undefined | null;
  /** @default cached results never expire */
  cacheExpirationSeconds?: number;
}

/** An argument may be given as a future of that value: the task waits for it. */
export type MaybeFutures<Args extends unknown[]> = { [K in keyof Args]: Args[K] | TaskRunFuture<Args[K]> };
/** `.map()` takes an iterable per argument, or `unmapped(value)` for the same value in every run. */
export type MapArgs<Args extends unknown[]> = { [K in keyof Args]: Iterable<Args[K]> | Unmapped<Args[K]> };

export class Unmapped<T> {
  constructor(readonly value: T) {}
}
/** Passes the same value to every run of a `.map()`. */
export const unmapped = <T>(value: T): Unmapped<T> => new Unmapped(value);

export interface Task<Args extends unknown[], R> {
  (...args: MaybeFutures<Args>): TaskCall<Awaited<R>>;
  readonly name: string;
  readonly options: Readonly<TaskOptions<Args>>;
  /** Starts a task run and returns its future at once. */
  submit(...args: MaybeFutures<Args>): TaskRunFuture<Awaited<R>>;
  /** One task run per element of the iterables (equal lengths); `unmapped(x)` repeats x. */
  map(...iterables: MapArgs<Args>): TaskRunFutureList<Awaited<R>>;
  /** A copy with options overridden; with `returnState: true` calls return the final State. */
  withOptions(overrides: TaskOptions<Args> & { returnState: true }): StateTask<Args, R>;
  withOptions(overrides: TaskOptions<Args> & { returnState?: false }): Task<Args, R>;
}

/** A task whose calls return the final State instead of the result and never throw. */
export interface StateTask<Args extends unknown[], R> {
  (...args: MaybeFutures<Args>): Promise<State<Awaited<R>>>;
  readonly name: string;
  readonly options: Readonly<TaskOptions<Args>>;
  submit(...args: MaybeFutures<Args>): TaskRunFuture<Awaited<R>>;
  map(...iterables: MapArgs<Args>): TaskRunFutureList<Awaited<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = { readonly name: string; readonly options: Readonly<TaskOptions<any>> };

interface TaskDef {
  fn: (...args: unknown[]) => unknown;
  name: string;
  options: TaskOptions<unknown[]>;
  returnState: boolean;
  self: AnyTask;
}

/**
 * Defines a task.
 * @example
 * const fetchData = task({ name: 'fetch-data', retries: 2, retryDelaySeconds: 1 }, async (url: string) => get(url));
 */
export function task<Args extends unknown[], R>(fn: (...args: Args) => R): Task<Args, R>;
export function task<Args extends unknown[], R>(options: TaskOptions<Args>, fn: (...args: Args) => R): Task<Args, R>;
export function task<Args extends unknown[], R>(
  a: TaskOptions<Args> | ((...args: Args) => R),
  b?: (...args: Args) => R,
): Task<Args, R> {
  const [options, fn] = typeof a === 'function' ? [{} as TaskOptions<Args>, a] : [a, b];
  if (typeof fn !== 'function') throw new TaskUsageError('task() needs a function: task(options, fn) or task(fn)');
  return makeTask(fn as (...args: unknown[]) => unknown, options as TaskOptions<unknown[]>, false) as unknown as Task<Args, R>;
}

function makeTask(fn: (...args: unknown[]) => unknown, options: TaskOptions<unknown[]>, returnState: boolean) {
  const name = options.name ?? (fn.name || 'anonymous-task');
  validateOptions('task', `task '${name}'`, options);
  if (options.logConsole) captureConsole();
  const def: TaskDef = { fn, name, options, returnState, self: undefined as unknown as AnyTask };
  const call = (...args: unknown[]) => (returnState ? callForState(def, args) : callDirect(def, args));
  const t = Object.assign(call, {
    options: Object.freeze({ ...options }),
    submit: (...args: unknown[]) => submit(def, args, undefined),
    map: (...iterables: unknown[]) => mapTask(def, iterables),
    withOptions: (overrides: TaskOptions<unknown[]> & { returnState?: boolean }) => {
      const { returnState: rs, ...rest } = overrides;
      return makeTask(fn, { ...options, ...rest }, rs ?? returnState);
    },
  });
  Object.defineProperty(t, 'name', { value: name });
  def.self = t as unknown as AnyTask;
  return t;
}

function requireFlow(def: TaskDef): RunContextStore {
  const store = currentContext();
  if (!store) {
    throw new TaskUsageError(
      `Task '${def.name}' was called outside a flow: call it inside the function passed to flow()`,
    );
  }
  if (store.flowRun.crashed) throw new CancelledError('The flow run crashed');
  return store;
}

function callDirect(def: TaskDef, args: unknown[]): TaskCall<unknown> {
  let store: RunContextStore;
  try {
    store = requireFlow(def);
  } catch (e) {
    return new TaskCall<unknown>(undefined, undefined, e);
  }
  const run = newTaskRun(def, store.flowRun, args, undefined);
  return new TaskCall(start(def, run, args, store, false), run);
}

/** Starts the run; its `done` is what settleTasks waits on. */
function start(def: TaskDef, run: TaskRun, args: unknown[], store: RunContextStore, submitted: boolean): Promise<State> {
  return (run.done = execute(def, run, args, store, submitted));
}

async function callForState(def: TaskDef, args: unknown[]): Promise<State> {
  const store = requireFlow(def);
  const run = newTaskRun(def, store.flowRun, args, undefined);
  run.markObserved();
  return start(def, run, args, store, false);
}

function submit(def: TaskDef, args: unknown[], mapIndex: number | undefined): TaskRunFuture<unknown> {
  const store = requireFlow(def);
  const run = newTaskRun(def, store.flowRun, args, mapIndex);
  return new TaskRunFuture(run, start(def, run, args, store, true));
}

function mapTask(def: TaskDef, iterables: unknown[]): TaskRunFutureList<unknown> {
  const columns: (unknown[] | Unmapped<unknown>)[] = iterables.map((it, i) => {
    if (it instanceof Unmapped) return it;
    if (it == null || typeof (it as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof it === 'string') {
      throw new TaskUsageError(
        `${def.name}.map(): argument ${i + 1} is not an array or iterable; wrap it in unmapped() to pass it to every run`,
      );
    }
    return [...(it as Iterable<unknown>)];
  });
  const lengths = columns.filter((c): c is unknown[] => Array.isArray(c)).map((c) => c.length);
  if (lengths.length === 0) throw new TaskUsageError(`${def.name}.map() needs at least one iterable argument`);
  if (new Set(lengths).size > 1) {
    throw new TaskUsageError(`${def.name}.map() got iterables of different lengths (${lengths.join(', ')})`);
  }
  const out = new TaskRunFutureList<unknown>();
  for (let i = 0; i < lengths[0]!; i++) {
    out.push(submit(def, columns.map((c) => (c instanceof Unmapped ? c.value : c[i])), i));
  }
  return out;
}

function newTaskRun(def: TaskDef, flowRun: FlowRun, args: unknown[], mapIndex: number | undefined): TaskRun {
  const n = flowRun.taskCounters.get(def.name) ?? 0;
  flowRun.taskCounters.set(def.name, n + 1);
  const o = def.options;
  let name = `${def.name}-${n}`;
  if (o.taskRunName !== undefined) {
    try {
      name = typeof o.taskRunName === 'string' ? o.taskRunName : String(o.taskRunName(...args));
    } catch {
      // a failing name function keeps the default name
    }
  }
  const run = new TaskRun(flowRun, {
    id: nextTaskRunId(),
    name,
    taskName: def.name,
    taskKey: def.name,
    tags: o.tags ?? EMPTY,
    parameters: args.length === 1 ? args[0] : args,
    mapIndex,
  });
  run.crashHooks = (r, s) => runHooks('onCrashed', o.onCrashed, [def.self, r, s], { flowRun, taskRun: r });
  return run;
}
const EMPTY: readonly string[] = [];

/** Runs a task run to its final state. Never throws: errors become states. */
async function execute(
  def: TaskDef,
  run: TaskRun,
  rawArgs: unknown[],
  parent: RunContextStore,
  submitted: boolean,
): Promise<State> {
  const flowRun = run.flowRun;
  const o = def.options;
  flowRun.inflight.add(run);
  // The reporter is behind on this process's events, or needs the event loop to send them: wait
  // before this run's first event, so its states still travel together. (Asked again after the
  // wait: the runs that waited together must not all go at once.)
  try {
    for (let behind = engine.backlog(); behind; behind = engine.backlog()) await behind;
  } catch {
    // a sink that cannot tell whether it keeps up does not hold the run back
  }
  if (run.crashed) {
    // the process is going down (or the flow run crashed) while this run waited: it never starts
    flowRun.inflight.delete(run);
    return run.state;
  }
  run.setState('PENDING');
  let slot = false;
  try {
    let args = rawArgs;
    if (hasFuture(rawArgs)) args = await resolveFutures(rawArgs);
    if (flowRun.atBoundary) await flowRun.boundary();
    if (submitted && flowRun.semaphore) {
      await flowRun.semaphore.acquire();
      slot = true;
      if (flowRun.atBoundary) await flowRun.boundary();
    }
    const key = cacheKeyOf(def, flowRun, args);
    if (key !== undefined) {
      const hit = engine.cache.get(key);
      if (hit && hit.expiresAt <= engine.clock.now()) engine.cache.delete(key);
      else if (hit) {
        return await finish(def, run, 'COMPLETED', { name: 'Cached', value: hit.value, message: `Cached result (key ${key})` });
      }
    }
    const retries = o.retries ?? 0;
    for (;;) {
      if (run.crashed) return run.state;
      enterRunning(run, retries);
      if (o.onRunning) await runHooks('onRunning', o.onRunning, [def.self, run, run.state], { flowRun, taskRun: run });
      let outcome: Outcome;
      if (o.timeoutSeconds) outcome = await attemptWithTimeout(def, run, args, parent, o.timeoutSeconds);
      else {
        // Inline fast path: no timeout, one await of the user's promise.
        try {
          let value = runStorage.run(contextFor(def, run, parent, run.flowRun.signal), def.fn, ...args);
          if (isPromise(value)) value = await value;
          outcome = { ok: true, value };
        } catch (error) {
          outcome = { ok: false, error };
        }
      }
      if (run.crashed) return run.state;
      if (outcome.ok) {
        if (key !== undefined) {
          const ttl = o.cacheExpirationSeconds;
          engine.cacheResult(key, outcome.value, ttl ? engine.clock.now() + ttl * 1000 : Infinity);
        }
        return finish(def, run, 'COMPLETED', { value: outcome.value });
      }
      const error = outcome.error;
      if (flowRun.cancelRequested) {
        return await finish(def, run, 'CANCELLED', { message: 'The flow run was cancelled', error });
      }
      const timedOut = error instanceof RunTimeoutError;
      if (await retryAfterFailure(o, run, error, { flowRun, taskRun: run }, flowRun.signal)) {
        if (flowRun.atBoundary) await flowRun.boundary();
        continue;
      }
      return await finish(def, run, 'FAILED', { name: timedOut ? 'TimedOut' : 'Failed', message: errorSummary(error), error });
    }
  } catch (error) {
    // Cancelled or pause-timed-out at a boundary, upstream failure, or an engine fault.
    if (run.crashed) return run.state;
    if (error instanceof CancelledError || flowRun.cancelRequested) {
      return await finish(def, run, 'CANCELLED', { message: (error as Error).message, error });
    }
    return await finish(def, run, 'FAILED', { message: errorSummary(error), error });
  } finally {
    if (slot) flowRun.semaphore!.release();
    flowRun.inflight.delete(run);
  }
}

/** Records the final state, then runs its hooks (a promise only when there are hooks). */
function finish(
  def: TaskDef,
  run: TaskRun,
  type: 'COMPLETED' | 'FAILED' | 'CANCELLED',
  change: Parameters<TaskRun['setState']>[1],
): State | Promise<State> {
  const state = run.setState(type, change);
  if (type === 'FAILED' && !run.observed) run.flowRun.unobserved.add(run);
  const kind = FINAL_HOOK[type];
  const hooks = def.options[kind];
  if (!hooks?.length) return state;
  return runHooks(kind, hooks, [def.self, run, state], { flowRun: run.flowRun, taskRun: run }).then(() => state);
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const contextFor = (def: TaskDef, run: TaskRun, parent: RunContextStore, signal: AbortSignal): RunContextStore => ({
  flowRun: run.flowRun,
  taskRun: run,
  signal,
  logConsole: def.options.logConsole ?? parent.logConsole,
});

/** One attempt of the user's function under `timeoutSeconds`: TimedOut aborts the run's signal. */
function attemptWithTimeout(
  def: TaskDef,
  run: TaskRun,
  args: unknown[],
  parent: RunContextStore,
  seconds: number,
): Promise<Outcome> {
  const controller = new AbortController();
  const store = contextFor(def, run, parent, AbortSignal.any([run.flowRun.signal, controller.signal]));
  let result: Outcome | Promise<Outcome>;
  try {
    const value = runStorage.run(store, def.fn, ...args);
    result = isPromise(value) ? settle(value) : { ok: true, value };
  } catch (error) {
    result = { ok: false, error };
  }
  const timer = new AbortController();
  const timeout = engine.clock.sleep(seconds * 1000, timer.signal).then(
    (): Outcome => {
      const error = new RunTimeoutError(run.name, seconds);
      controller.abort(error);
      return { ok: false, error };
    },
    () => new Promise<Outcome>(() => undefined),
  );
  return Promise.race([result, timeout]).finally(() => timer.abort());
}

function hasFuture(args: unknown[]): boolean {
  for (const a of args) if (a instanceof TaskRunFuture) return true;
  return false;
}

async function settle(value: PromiseLike<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await value };
  } catch (error) {
    return { ok: false, error };
  }
}
const isPromise = <T>(v: unknown): v is PromiseLike<T> =>
  v instanceof Promise || (v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function');

function cacheKeyOf(def: TaskDef, flowRun: FlowRun, args: unknown[]): string | undefined {
  const fn = def.options.cacheKey;
  if (!fn) return undefined;
  const key = fn({ taskName: def.name, flowRunId: flowRun.id, flowName: flowRun.flowName }, args);
  return key == null ? undefined : `${def.name}:${key}`;
}

async function resolveFutures(args: unknown[]): Promise<unknown[]> {
  return Promise.all(
    args.map(async (a) => {
      if (!(a instanceof TaskRunFuture)) return a;
      const state = await (a as TaskRunFuture<unknown>).wait();
      if (state.type !== 'COMPLETED') {
        throw new UpstreamTaskError(`Upstream task run '${a.taskRun.name}' ended ${state.name}: ${state.message ?? ''}`.trim());
      }
      return state.value;
    }),
  );
}
