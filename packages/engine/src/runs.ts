/**
 * Flow runs and task runs as they live in this process: identity, the current State, a per-run
 * event sequence, and the controls (pause gate, cancellation, in-flight tasks) a flow run needs.
 * Every state change goes through `setState`, which records it with the reporter first; hooks
 * run after (see hooks.ts).
 */
import type { FlowRunInfo, StateName, StateType, TaskRunInfo, ValuePreview } from '@flowlight/schema';
import { TERMINAL } from '@flowlight/schema';
import { setMaxListeners } from 'node:events';
import { CancelledError, PauseTimeoutError } from './errors.js';
import { toErrorData, toPreview } from './preview.js';
import { engine } from './runtime.js';
import { State } from './state.js';

export interface StateChange {
  name?: StateName;
  message?: string | undefined;
  value?: unknown;
  error?: unknown;
  data?: Record<string, unknown>;
}

/**
 * Event and task run ids: a random per-process prefix (96 bits, URL-safe) + a counter — unique
 * across processes like a UUID, at a fraction of the cost on the hot path, and short: ids are most
 * of the bytes of a state event on the wire and in the API's indexes.
 */
const ID_PREFIX = Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
let eventCounter = 0;
let runCounter = 0;
export const nextEventId = (): string => `${ID_PREFIX}e${(eventCounter++).toString(36)}`;
export const nextTaskRunId = (): string => `${ID_PREFIX}t${(runCounter++).toString(36)}`;

const NO_CHANGE: StateChange = {};

/** The state of a run object before its first recorded state. */
const INITIAL_STATE = new State('PENDING', { timestamp: 0 });

abstract class RunBase {
  state: State;
  private seq = 0;
  /** Set once the run ended Crashed: later state changes are dropped. */
  crashed = false;

  constructor(
    readonly id: string,
    readonly name: string,
  ) {
    this.state = INITIAL_STATE;
  }

  nextSeq(): number {
    return this.seq++;
  }

  protected skipSeq(to: number): void {
    this.seq = Math.max(this.seq, to);
  }

  protected makeState(type: StateType, change: StateChange): State {
    return new State(type, {
      name: change.name,
      message: change.message,
      timestamp: engine.clock.now(),
      value: change.value,
      error: change.error,
      data: change.data,
    });
  }

  protected static resultOf(type: StateType, change: StateChange): ValuePreview | undefined {
    return type === 'COMPLETED' && change.value !== undefined ? toPreview(change.value) : undefined;
  }
  protected static errorOf(change: StateChange): ReturnType<typeof toErrorData> | undefined {
    return change.error !== undefined ? toErrorData(change.error) : undefined;
  }
}

/** A flow run of this process. Hooks receive it; `getRunContext().flowRun` returns it. */
export class FlowRun extends RunBase {
  readonly flowName: string;
  readonly tags: readonly string[];
  readonly parameters: unknown;
  readonly parentFlowRunId: string | undefined;
  /** 1-based attempt (flow-level retries). */
  attempt = 1;
  /** Aborted on cancel or timeout; task contexts and child flows share it. */
  readonly controller = new AbortController();
  /** @internal */ readonly inflight = new Set<TaskRun>();
  /** @internal */ readonly unobserved = new Set<TaskRun>();
  /** @internal */ readonly taskCounters = new Map<string, number>();
  /** @internal */ semaphore: Semaphore | undefined;
  /** @internal */ cancelRequested = false;
  /** @internal */ pauseTimedOut: PauseTimeoutError | undefined;
  /** @internal */ onCancel: (() => void) | undefined;
  /** @internal */ crashHooks: ((run: FlowRun, state: State) => Promise<void>) | undefined;
  private pauseRequested = false;
  private gate: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void; timer: AbortController } | undefined;
  private readonly info: FlowRunInfo;
  private parametersPreview: ValuePreview | undefined;

  constructor(init: {
    id: string;
    name: string;
    flowName: string;
    tags: readonly string[];
    parameters: unknown;
    parentFlowRunId?: string | undefined;
    parentTaskRunId?: string | undefined;
    flowVersion?: string | undefined;
    deploymentId?: string | undefined;
    /** Continue an event sequence the API started (a run claimed from a deployment). */
    seqStart?: number | undefined;
  }) {
    super(init.id, init.name);
    if (init.seqStart) this.skipSeq(init.seqStart);
    this.flowName = init.flowName;
    this.tags = init.tags;
    this.parameters = init.parameters;
    this.parentFlowRunId = init.parentFlowRunId;
    this.parametersPreview = toPreview(init.parameters);
    // Every running task may listen to the run's signal: no listener-leak warning for big flows.
    setMaxListeners(0, this.controller.signal);
    this.info = { flowName: init.flowName, name: init.name, tags: [...init.tags] };
    if (init.parentFlowRunId) this.info.parentFlowRunId = init.parentFlowRunId;
    if (init.parentTaskRunId) this.info.parentTaskRunId = init.parentTaskRunId;
    if (init.flowVersion) this.info.flowVersion = init.flowVersion;
    if (init.deploymentId) this.info.deploymentId = init.deploymentId;
  }

  private attemptSignal: AbortSignal | undefined;

  /** Aborted on cancel, crash, or when the current attempt times out. */
  get signal(): AbortSignal {
    return this.attemptSignal ?? this.controller.signal;
  }

  /** Starts an attempt: its controller aborts this attempt's tasks (a timeout) but not the next attempt's. */
  beginAttempt(): AbortController {
    const attempt = new AbortController();
    this.attemptSignal = AbortSignal.any([this.controller.signal, attempt.signal]);
    setMaxListeners(0, this.attemptSignal);
    return attempt;
  }

  /** Records a new state with the reporter and returns it. */
  setState(type: StateType, change: StateChange = NO_CHANGE): State {
    if (this.crashed) return this.state;
    const state = this.makeState(type, change);
    this.state = state;
    const flowRun = this.parametersPreview ? { ...this.info, parameters: this.parametersPreview } : this.info;
    this.parametersPreview = undefined;
    engine.emit({
      kind: 'flow-run-state',
      id: nextEventId(),
      seq: this.nextSeq(),
      ts: state.timestamp,
      runId: this.id,
      flowRun,
      state,
      result: RunBase.resultOf(type, change),
      error: RunBase.errorOf(change),
    });
    return state;
  }

  emitHeartbeat(): void {
    engine.emit({ kind: 'heartbeat', id: nextEventId(), seq: this.nextSeq(), ts: engine.clock.now(), runId: this.id });
  }

  /** Asks for a pause at the next task boundary. */
  requestPause(): boolean {
    if (this.state.type !== 'RUNNING' || this.pauseRequested || this.cancelRequested) return false;
    this.pauseRequested = true;
    return true;
  }

  /** Pauses now (from `pause()` or a task boundary) until resumed, cancelled or timed out. */
  async pauseNow(timeoutSeconds: number, message: string): Promise<void> {
    if (!this.gate) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      const timer = new AbortController();
      this.gate = { promise, resolve, reject, timer };
      this.setState('PAUSED', { message, data: { timeoutSeconds } });
      engine.clock.sleep(timeoutSeconds * 1000, timer.signal).then(
        () => {
          if (this.gate?.timer !== timer) return;
          this.pauseTimedOut = new PauseTimeoutError(timeoutSeconds);
          this.gate = undefined;
          this.pauseRequested = false;
          reject(this.pauseTimedOut);
          this.onCancel?.();
        },
        () => undefined,
      );
    }
    await this.gate.promise;
  }

  /** True when a task starting now must stop at `boundary()` (pause, cancel, pause timeout). */
  get atBoundary(): boolean {
    return this.cancelRequested || this.pauseRequested || this.gate !== undefined || this.pauseTimedOut !== undefined;
  }

  /** Waits here if a pause was requested or is in effect; throws if the run was cancelled. */
  async boundary(): Promise<void> {
    if (this.cancelRequested) throw new CancelledError('The flow run was cancelled before this task started');
    if (this.pauseTimedOut) throw this.pauseTimedOut;
    if (this.pauseRequested && !this.gate) {
      await this.pauseNow(DEFAULT_PAUSE_TIMEOUT_SECONDS, 'Paused by request; tasks resume when the run is resumed');
    } else if (this.gate) await this.gate.promise;
    if (this.cancelRequested) throw new CancelledError('The flow run was cancelled before this task started');
  }

  resume(): boolean {
    if (this.gate) {
      const gate = this.gate;
      this.gate = undefined;
      this.pauseRequested = false;
      gate.timer.abort();
      this.setState('RUNNING', { message: 'Resumed' });
      gate.resolve();
      return true;
    }
    if (this.pauseRequested) {
      this.pauseRequested = false;
      return true;
    }
    return false;
  }

  /** Ends a pause in effect with `error` (the attempt timed out): tasks waiting at the boundary fail. */
  abortPause(error: unknown): void {
    this.pauseRequested = false;
    if (!this.gate) return;
    this.gate.timer.abort();
    this.gate.reject(error);
    this.gate = undefined;
  }

  cancel(reason?: string): boolean {
    if (TERMINAL[this.state.type] || this.cancelRequested) return false;
    this.cancelRequested = true;
    const message = reason ?? 'Cancellation requested';
    this.setState('CANCELLING', { message });
    const error = new CancelledError(message);
    this.controller.abort(error);
    if (this.gate) {
      this.gate.timer.abort();
      this.gate.reject(error);
      this.gate = undefined;
    }
    this.onCancel?.();
    return true;
  }

  /** Marks the run and its running tasks Crashed and runs their onCrashed hooks. */
  async crash(message: string): Promise<void> {
    if (TERMINAL[this.state.type]) return;
    const tasks = [...this.inflight];
    await Promise.allSettled(tasks.map((t) => t.crash(message)));
    const state = this.setState('CRASHED', { message, error: new Error(message) });
    this.crashed = true;
    this.controller.abort(new CancelledError(message));
    await this.crashHooks?.(this, state);
  }
}

export const DEFAULT_PAUSE_TIMEOUT_SECONDS = 3600;

/** A task run of this process. Hooks receive it; `getRunContext().taskRun` returns it. */
export class TaskRun extends RunBase {
  readonly taskName: string;
  readonly flowRunId: string;
  readonly mapIndex: number | undefined;
  readonly tags: readonly string[];
  readonly parameters: unknown;
  /** 1-based attempt number. */
  attempt = 1;
  /** @internal */ observed = false;
  /** Resolves with the final state. @internal */ done!: Promise<State>;
  /** @internal */ crashHooks: ((run: TaskRun, state: State) => Promise<void>) | undefined;
  private readonly info: TaskRunInfo;
  private parametersPreview: ValuePreview | undefined;

  constructor(
    readonly flowRun: FlowRun,
    init: { id: string; name: string; taskName: string; taskKey: string; tags: readonly string[]; parameters: unknown; mapIndex?: number | undefined },
  ) {
    super(init.id, init.name);
    this.taskName = init.taskName;
    this.flowRunId = flowRun.id;
    this.mapIndex = init.mapIndex;
    this.tags = init.tags;
    this.parameters = init.parameters;
    this.info = { taskName: init.taskName, taskKey: init.taskKey, name: init.name, tags: init.tags as string[], mapIndex: init.mapIndex };
    this.parametersPreview = toPreview(init.parameters);
  }

  setState(type: StateType, change: StateChange = NO_CHANGE): State {
    if (this.crashed) return this.state;
    const state = this.makeState(type, change);
    this.state = state;
    let taskRun = this.info;
    if (this.parametersPreview) {
      // only the first event carries the parameters
      const i = this.info;
      taskRun = { taskName: i.taskName, taskKey: i.taskKey, name: i.name, tags: i.tags, mapIndex: i.mapIndex, parameters: this.parametersPreview };
      this.parametersPreview = undefined;
    }
    engine.emit({
      kind: 'task-run-state',
      id: nextEventId(),
      seq: this.nextSeq(),
      ts: state.timestamp,
      runId: this.id,
      flowRunId: this.flowRunId,
      taskRun,
      attempt: this.attempt,
      state,
      result: RunBase.resultOf(type, change),
      error: RunBase.errorOf(change),
    });
    return state;
  }

  /** The flow looked at this run's outcome (awaited it, read its result or state). */
  markObserved(): void {
    if (this.observed) return;
    this.observed = true;
    this.flowRun.unobserved.delete(this);
  }

  async crash(message: string): Promise<void> {
    if (TERMINAL[this.state.type]) return;
    const state = this.setState('CRASHED', { message, error: new Error(message) });
    this.crashed = true;
    await this.crashHooks?.(this, state);
  }
}

/** Counts running submitted tasks of a flow run against `maxConcurrency`. */
export class Semaphore {
  private waiting: (() => void)[] = [];
  private used = 0;
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
  }
}
