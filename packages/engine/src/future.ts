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
 * A direct task call's promise. Awaiting it (or calling then/catch/finally) counts as looking at
 * the outcome; a failed call that nobody awaits fails the flow instead of being lost, and never
 * becomes an unhandled rejection.
 */
export class TaskCall<T> extends Promise<T> {
  static override get [Symbol.species]() {
    return Promise;
  }
  /** @internal */ taskRun: TaskRun | undefined;

  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.taskRun?.markObserved();
    return super.then(onfulfilled, onrejected);
  }
}

export function taskCall<T>(run: (resolve: (v: T) => void, reject: (e: unknown) => void) => TaskRun | undefined): TaskCall<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const call = new TaskCall<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Internal no-op handler: a call nobody awaits is reported through the flow, not as an unhandled rejection.
  Promise.prototype.then.call(call, undefined, () => undefined);
  call.taskRun = run(resolve, reject);
  return call;
}
