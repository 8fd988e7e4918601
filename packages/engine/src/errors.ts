/**
 * The engine's errors: a small tree with a string `code` and readonly context fields, so a
 * caller can tell what went wrong and what to fix without parsing messages.
 */
export class FlowlightError extends Error {
  readonly code: string = 'FLOWLIGHT_ERROR';
  override name = 'FlowlightError';
}

/** An option given to `flow()` / `task()` / `withOptions()` is invalid. Thrown at definition time. */
export class InvalidOptionError extends FlowlightError {
  override readonly code = 'INVALID_OPTION';
  override name = 'InvalidOptionError';
  constructor(
    readonly option: string,
    readonly problem: string,
    readonly owner: string,
  ) {
    super(`Invalid option \`${option}\` for ${owner}: ${problem}`);
  }
}

/** `getRunLogger()`, `pause()` or a run-context call outside a flow or task run. */
export class MissingContextError extends FlowlightError {
  override readonly code = 'MISSING_CONTEXT';
  override name = 'MissingContextError';
}

/** Parameters did not match the flow's zod schema; the message lists the issues. */
export class ParameterValidationError extends FlowlightError {
  override readonly code = 'PARAMETER_VALIDATION';
  override name = 'ParameterValidationError';
  constructor(
    readonly flowName: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `Parameters of flow '${flowName}' are invalid: ` +
        issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '),
    );
  }
}

/** A run went past its `timeoutSeconds`. */
export class RunTimeoutError extends FlowlightError {
  override readonly code = 'TIMED_OUT';
  override name = 'RunTimeoutError';
  constructor(
    readonly runName: string,
    readonly timeoutSeconds: number,
  ) {
    super(`Run '${runName}' exceeded its timeout of ${timeoutSeconds}s`);
  }
}

/** The flow run was cancelled; tasks that had not started never start. */
export class CancelledError extends FlowlightError {
  override readonly code = 'CANCELLED';
  override name = 'CancelledError';
}

/** A paused flow run was never resumed within its pause timeout. */
export class PauseTimeoutError extends FlowlightError {
  override readonly code = 'PAUSE_TIMEOUT';
  override name = 'PauseTimeoutError';
  constructor(readonly timeoutSeconds: number) {
    super(`Flow run was paused and never resumed within ${timeoutSeconds}s`);
  }
}

/** A task failed and the flow never awaited it, caught it or read its result. */
export class UnobservedTaskFailureError extends FlowlightError {
  override readonly code = 'UNOBSERVED_TASK_FAILURE';
  override name = 'UnobservedTaskFailureError';
  constructor(
    readonly taskRunNames: string[],
    readonly firstError: string,
  ) {
    super(
      `Task run${taskRunNames.length > 1 ? 's' : ''} ${taskRunNames.map((n) => `'${n}'`).join(', ')} failed ` +
        `and the flow never looked at ${taskRunNames.length > 1 ? 'their results' : 'its result'}: ${firstError}`,
    );
  }
}

/** A task's argument was a future whose run failed. */
export class UpstreamTaskError extends FlowlightError {
  override readonly code = 'UPSTREAM_FAILED';
  override name = 'UpstreamTaskError';
}

/** `map()` got iterables of different lengths, or a task was used where it cannot run. */
export class TaskUsageError extends FlowlightError {
  override readonly code = 'TASK_USAGE';
  override name = 'TaskUsageError';
}

/** The process was interrupted (signal) or the engine failed outside user code. */
export class CrashedError extends FlowlightError {
  override readonly code = 'CRASHED';
  override name = 'CrashedError';
}

/** Reading the result of a state that is not final, or of a run that failed. */
export class StateResultError extends FlowlightError {
  override readonly code = 'STATE_RESULT';
  override name = 'StateResultError';
}
