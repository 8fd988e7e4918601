/**
 * What `.submit()` and `.map()` return, and what a direct task call returns: handles on a task run
 * that record whether the flow looked at the outcome — a failure nobody looked at fails the flow.
 */
import type { StateType } from '@flowlight/schema';
import type { TaskRun } from './runs.js';
import type { ResultOptions, State } from './state.js';

export class TaskRunFuture<T> {
  /** @internal */
  constructor(
    readonly taskRun: TaskRun,
    private readonly final: Promise<State<T>>,
  ) {}

  get id(): string {
    return this.taskRun.id;
  }

  /** The run's current state (reading it counts as looking at the outcome). */
  get state(): State<T> {
    this.taskRun.markObserved();
    return this.taskRun.state as State<T>;
  }

  get stateType(): StateType {
    return this.state.type;
  }

  isPending() {
    return this.state.isPending();
  }
  isRunning() {
    return this.state.isRunning();
  }
  isCompleted() {
    return this.state.isCompleted();
  }
  isFailed() {
    return this.state.isFailed();
  }
  isCancelled() {
    return this.state.isCancelled();
  }
  isCrashed() {
    return this.state.isCrashed();
  }
  isFinal() {
    return this.state.isFinal();
  }

  /** Waits for the run to end and returns its final state. */
  async wait(): Promise<State<T>> {
    this.taskRun.markObserved();
    return this.final;
  }

  /** Waits for the result; throws the run's error, or returns it with `raiseOnFailure: false`. */
  result(opts: ResultOptions & { raiseOnFailure: false }): Promise<T | Error>;
  result(opts?: ResultOptions): Promise<T>;
  async result(opts: ResultOptions = {}): Promise<T | Error> {
    this.taskRun.markObserved();
    const state = await this.final;
    return state.result(opts);
  }
}

/** The futures of a `.map()`, with helpers over all of them. */
export class TaskRunFutureList<T> extends Array<TaskRunFuture<T>> {
  static override get [Symbol.species]() {
    return Array;
  }
  /** Every result in order; throws the first failure. */
  result(): Promise<T[]> {
    return Promise.all(this.map((f) => f.result()));
  }
  /** Every final state, in order. */
  wait(): Promise<State<T>[]> {
    return Promise.all(this.map((f) => f.wait()));
  }
}

/**
 * What a direct task call returns: a promise of the result. Awaiting it (or calling
 * then/catch/finally) counts as looking at the outcome; a failed call that nobody awaits fails
 * the flow instead of being lost, and never becomes an unhandled rejection (the run itself
 * settles to a State; the rejection is only created for whoever awaits).
 */
export class TaskCall<T> implements Promise<T> {
  readonly [Symbol.toStringTag] = 'TaskCall';
  /** @internal */
  constructor(
    private readonly final: Promise<State<T>> | undefined,
    /** The run, or undefined when the call could not start a run (then `error` is set). */
    readonly taskRun: TaskRun | undefined,
    private readonly error?: unknown,
  ) {}

  private outcome(): Promise<T> {
    this.taskRun?.markObserved();
    if (!this.final) return Promise.reject(this.error);
    return this.final.then(unwrap);
  }

  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    if (!this.final) return this.outcome().then(onfulfilled, onrejected);
    this.taskRun?.markObserved();
    // One promise per await: map the final state straight to the caller's handlers.
    return this.final.then((state): A | B | PromiseLike<A | B> => {
      if (state.type === 'COMPLETED') return onfulfilled ? onfulfilled(state.value as T) : (state.value as A);
      const error = failure(state);
      if (onrejected) return onrejected(error);
      throw error;
    });
  }
  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.outcome().catch(onrejected);
  }
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.outcome().finally(onfinally);
  }
}

function unwrap<T>(state: State<T>): T {
  if (state.type === 'COMPLETED') return state.value as T;
  throw failure(state);
}
const failure = (state: State<unknown>): unknown => state.error ?? new Error(state.message ?? state.name);
