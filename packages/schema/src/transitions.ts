/**
 * The one transition table. Engine, API and web ask it what is legal; an illegal move is a
 * typed error with from, to and why, never silently applied.
 */
import { TERMINAL, type StateType, type StateName } from './states.js';

type From = StateType | 'NONE';

/** Allowed targets by source type. A terminal state may only be left by a retry (→ SCHEDULED/PENDING/RUNNING named for retry) or a forced set-state. */
export const TRANSITIONS = {
  NONE: ['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'],
  SCHEDULED: ['SCHEDULED', 'PENDING', 'RUNNING', 'CANCELLING', 'CANCELLED', 'CRASHED', 'FAILED', 'COMPLETED'],
  PENDING: ['SCHEDULED', 'RUNNING', 'PAUSED', 'CANCELLING', 'CANCELLED', 'CRASHED', 'FAILED', 'COMPLETED'],
  RUNNING: ['SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CRASHED', 'CANCELLING', 'CANCELLED'],
  PAUSED: ['PAUSED', 'RUNNING', 'PENDING', 'SCHEDULED', 'FAILED', 'CRASHED', 'CANCELLING', 'CANCELLED'],
  CANCELLING: ['CANCELLED', 'CRASHED', 'FAILED', 'COMPLETED'],
  COMPLETED: ['SCHEDULED', 'PENDING'],
  FAILED: ['SCHEDULED', 'PENDING'],
  CRASHED: ['SCHEDULED', 'PENDING'],
  CANCELLED: ['SCHEDULED', 'PENDING'],
} as const satisfies Record<From, readonly StateType[]>;

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/** Names that may leave a terminal state: a retry goes through AwaitingRetry, a re-run through Scheduled/Pending. */
const RERUN_NAMES: ReadonlySet<StateName> = new Set(['AwaitingRetry', 'Scheduled', 'Pending']);

export function checkTransition(
  from: { type: StateType; name?: StateName } | null | undefined,
  to: { type: StateType; name: StateName },
  opts: { force?: boolean } = {},
): TransitionCheck {
  if (opts.force) {
    if (!TERMINAL[to.type]) return { ok: false, reason: `a forced state must be terminal, got ${to.type}` };
    return { ok: true };
  }
  const fromType: From = from ? from.type : 'NONE';
  const allowed = TRANSITIONS[fromType] as readonly StateType[];
  if (!allowed.includes(to.type)) {
    return {
      ok: false,
      reason: from
        ? `${from.name ?? from.type} (${from.type}) cannot move to ${to.name} (${to.type})`
        : `a run cannot start in ${to.name} (${to.type})`,
    };
  }
  if (from && TERMINAL[from.type] && !RERUN_NAMES.has(to.name)) {
    return { ok: false, reason: `${from.type} is terminal; only a retry or re-run may leave it, not ${to.name}` };
  }
  return { ok: true };
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(
    readonly from: StateType | null,
    readonly to: StateType,
    readonly reason: string,
  ) {
    super(`Illegal transition ${from ?? 'NONE'} → ${to}: ${reason}`);
  }
}
