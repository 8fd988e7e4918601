/**
 * States: a closed `type` that drives logic and a human `name` that people read.
 * Retrying is a RUNNING state, Late and AwaitingRetry are SCHEDULED states (as in Prefect).
 * Every per-state table elsewhere is `satisfies Record<StateType, …>` so a new type breaks the build.
 */
import { z } from 'zod';

export const StateType = {
  SCHEDULED: 'SCHEDULED',
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  PAUSED: 'PAUSED',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  CRASHED: 'CRASHED',
  CANCELLING: 'CANCELLING',
  CANCELLED: 'CANCELLED',
} as const;
export type StateType = (typeof StateType)[keyof typeof StateType];
export const STATE_TYPES = Object.values(StateType) as readonly StateType[];
export const stateTypeSchema = z.enum(STATE_TYPES as [StateType, ...StateType[]]);

/** The names a person reads, each with the one type it belongs to. */
export const StateName = {
  Scheduled: 'Scheduled',
  Late: 'Late',
  AwaitingRetry: 'AwaitingRetry',
  AwaitingConcurrencySlot: 'AwaitingConcurrencySlot',
  Pending: 'Pending',
  Running: 'Running',
  Retrying: 'Retrying',
  Paused: 'Paused',
  Suspended: 'Suspended',
  Completed: 'Completed',
  Cached: 'Cached',
  Failed: 'Failed',
  TimedOut: 'TimedOut',
  Crashed: 'Crashed',
  Cancelling: 'Cancelling',
  Cancelled: 'Cancelled',
} as const;
export type StateName = (typeof StateName)[keyof typeof StateName];
export const STATE_NAMES = Object.values(StateName) as readonly StateName[];
export const stateNameSchema = z.enum(STATE_NAMES as [StateName, ...StateName[]]);

export const TYPE_OF_NAME = {
  Scheduled: 'SCHEDULED',
  Late: 'SCHEDULED',
  AwaitingRetry: 'SCHEDULED',
  AwaitingConcurrencySlot: 'SCHEDULED',
  Pending: 'PENDING',
  Running: 'RUNNING',
  Retrying: 'RUNNING',
  Paused: 'PAUSED',
  Suspended: 'PAUSED',
  Completed: 'COMPLETED',
  Cached: 'COMPLETED',
  Failed: 'FAILED',
  TimedOut: 'FAILED',
  Crashed: 'CRASHED',
  Cancelling: 'CANCELLING',
  Cancelled: 'CANCELLED',
} as const satisfies Record<StateName, StateType>;

/** The default name of each type. */
export const DEFAULT_NAME = {
  SCHEDULED: 'Scheduled',
  PENDING: 'Pending',
  RUNNING: 'Running',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CRASHED: 'Crashed',
  CANCELLING: 'Cancelling',
  CANCELLED: 'Cancelled',
} as const satisfies Record<StateType, StateName>;

export const TERMINAL = {
  SCHEDULED: false,
  PENDING: false,
  RUNNING: false,
  PAUSED: false,
  COMPLETED: true,
  FAILED: true,
  CRASHED: true,
  CANCELLING: false,
  CANCELLED: true,
} as const satisfies Record<StateType, boolean>;

export const isTerminalType = (type: StateType): boolean => TERMINAL[type];
export const isTerminal = (state: { type: StateType }): boolean => TERMINAL[state.type];

/** An error as plain data, so a traceback crosses process boundaries. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string | undefined;
  cause?: ErrorData | undefined;
}
export const errorDataSchema: z.ZodType<ErrorData> = z.lazy(() =>
  z.object({
    name: z.string().max(500),
    message: z.string().max(100_000),
    stack: z.string().max(200_000).optional(),
    cause: errorDataSchema.optional(),
  }),
);

/** Longest message of a state. */
export const STATE_MESSAGE_MAX_LENGTH = 100_000;

export const stateSchema = z
  .object({
    type: stateTypeSchema,
    name: stateNameSchema,
    message: z.string().max(STATE_MESSAGE_MAX_LENGTH).optional(),
    /** Epoch milliseconds. */
    timestamp: z.number().int().nonnegative(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((s) => TYPE_OF_NAME[s.name] === s.type, {
    message: 'state name does not belong to its type',
    path: ['name'],
  });
export type StateData = z.infer<typeof stateSchema>;

/** Builds a state record with the default name of its type unless one is given. */
export function makeState(
  type: StateType,
  opts: { name?: StateName; message?: string; timestamp: number; data?: Record<string, unknown> },
): StateData {
  const s: StateData = { type, name: opts.name ?? DEFAULT_NAME[type], timestamp: opts.timestamp };
  if (opts.message !== undefined) s.message = opts.message;
  if (opts.data !== undefined) s.data = opts.data;
  return s;
}
