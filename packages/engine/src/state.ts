/**
 * The State a user holds: the recorded `{ type, name, message, timestamp }` plus the run's
 * result or error, with Prefect's predicates (`isCompleted()`, `isFailed()`, …) and `result()`.
 */
import {
  DEFAULT_NAME,
  TERMINAL,
  type ErrorData,
  type StateData,
  type StateName,
  type StateType,
} from '@flowlight/schema';
import { StateResultError } from './errors.js';

export interface ResultOptions {
  /** Throw the run's error (true) or return it (false). @default true */
  raiseOnFailure?: boolean;
}

export class State<T = unknown> implements StateData {
  readonly type: StateType;
  readonly name: StateName;
  readonly message: string | undefined;
  readonly timestamp: number;
  readonly data: Record<string, unknown> | undefined;
  /** The run's value when COMPLETED. */
  readonly value: T | undefined;
  /** The error when FAILED / CRASHED / CANCELLED (or the failed attempt's error on AwaitingRetry). */
  readonly error: unknown;

  constructor(
    type: StateType,
    opts: {
      name?: StateName;
      message?: string | undefined;
      timestamp: number;
      data?: Record<string, unknown>;
      value?: T;
      error?: unknown;
    },
  ) {
    // Every field is always set, so all states share one shape (fast property access).
    this.type = type;
    this.name = opts.name ?? DEFAULT_NAME[type];
    this.message = opts.message;
    this.timestamp = opts.timestamp;
    this.data = opts.data;
    this.value = opts.value;
    this.error = opts.error;
  }

  isScheduled() {
    return this.type === 'SCHEDULED';
  }
  isPending() {
    return this.type === 'PENDING';
  }
  isRunning() {
    return this.type === 'RUNNING';
  }
  isPaused() {
    return this.type === 'PAUSED';
  }
  isCompleted() {
    return this.type === 'COMPLETED';
  }
  isFailed() {
    return this.type === 'FAILED';
  }
  isCrashed() {
    return this.type === 'CRASHED';
  }
  isCancelling() {
    return this.type === 'CANCELLING';
  }
  isCancelled() {
    return this.type === 'CANCELLED';
  }
  /** Terminal: COMPLETED, FAILED, CRASHED or CANCELLED. */
  isFinal() {
    return TERMINAL[this.type];
  }

  /**
   * The run's result. On a failed, crashed or cancelled state throws its error, or returns it with
   * `raiseOnFailure: false`. On a state that is not final throws a StateResultError.
   */
  result(opts: ResultOptions & { raiseOnFailure: false }): T | Error;
  result(opts?: ResultOptions): T;
  result(opts: ResultOptions = {}): T | Error {
    if (this.type === 'COMPLETED') return this.value as T;
    if (!TERMINAL[this.type]) {
      throw new StateResultError(`State ${this.name} (${this.type}) is not final: it has no result yet`);
    }
    const err =
      this.error instanceof Error
        ? this.error
        : new StateResultError(this.message ?? `Run ended ${this.name} without a result`);
    if (opts.raiseOnFailure === false) return err;
    throw err;
  }

  toJSON(): StateData {
    const s: StateData = { type: this.type, name: this.name, timestamp: this.timestamp };
    if (this.message !== undefined) s.message = this.message;
    if (this.data !== undefined) s.data = this.data;
    return s;
  }

  toString() {
    return `${this.name}(${this.type}${this.message ? `: ${this.message}` : ''})`;
  }
}

export type { ErrorData };
