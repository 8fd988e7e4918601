/**
 * Events from the engine to the API (ARCHITECTURE §3). Every event has a globally unique `id`
 * (the API ignores ids it already stored) and a per-run `seq` (an older event never overwrites
 * a newer state). State events carry the run's identity on every event, so a lost or reordered
 * first event never leaves the API with a state for a run it cannot describe.
 */
import { z } from 'zod';
import { errorDataSchema, stateSchema } from './states.js';

export const LogLevel = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 } as const;
export type LogLevelName = keyof typeof LogLevel;
export const LOG_LEVEL_NAMES = Object.keys(LogLevel) as LogLevelName[];
export const logLevelNameOf = (level: number): LogLevelName =>
  level >= 50 ? 'critical' : level >= 40 ? 'error' : level >= 30 ? 'warning' : level >= 20 ? 'info' : 'debug';
export const logLevelSchema = z.number().int().min(0).max(100);

/** Longest id of an event or a run. */
export const ID_MAX_LENGTH = 128;
const id = z.string().min(1).max(ID_MAX_LENGTH);

/** A bounded, readable copy of a value: JSON text when it was plain JSON, a preview when not. */
export const valuePreviewSchema = z.object({
  /** JSON text of the value (exact when `exact`), or a readable rendering of it. Bounded in size. */
  text: z.string().max(1_100_000),
  /** typeof-like description: object, array, string, number, function, bigint, Map, … */
  type: z.string().max(100),
  /** true when `text` is the exact JSON of the value. */
  exact: z.boolean(),
  truncated: z.boolean(),
});
export type ValuePreview = z.infer<typeof valuePreviewSchema>;

export const flowRunInfoSchema = z.object({
  flowName: z.string().min(1).max(500),
  name: z.string().min(1).max(500),
  tags: z.array(z.string().max(200)).max(100).default([]),
  parameters: valuePreviewSchema.optional(),
  parentFlowRunId: id.optional(),
  parentTaskRunId: id.optional(),
  flowVersion: z.string().max(200).optional(),
  deploymentId: id.optional(),
});
export type FlowRunInfo = z.infer<typeof flowRunInfoSchema>;

export const taskRunInfoSchema = z.object({
  taskName: z.string().min(1).max(500),
  taskKey: z.string().min(1).max(500),
  name: z.string().min(1).max(500),
  tags: z.array(z.string().max(200)).max(100).default([]),
  mapIndex: z.number().int().nonnegative().optional(),
  parameters: valuePreviewSchema.optional(),
});
export type TaskRunInfo = z.infer<typeof taskRunInfoSchema>;

const base = {
  id,
  seq: z.number().int().nonnegative(),
  /** Epoch ms when the engine recorded the event. */
  ts: z.number().int().nonnegative(),
};

export const flowRunStateEventSchema = z.object({
  kind: z.literal('flow-run-state'),
  ...base,
  runId: id,
  flowRun: flowRunInfoSchema,
  state: stateSchema,
  result: valuePreviewSchema.optional(),
  error: errorDataSchema.optional(),
});

export const taskRunStateEventSchema = z.object({
  kind: z.literal('task-run-state'),
  ...base,
  runId: id,
  flowRunId: id,
  taskRun: taskRunInfoSchema,
  /** 1-based attempt number of the run at this state. */
  attempt: z.number().int().min(1),
  state: stateSchema,
  result: valuePreviewSchema.optional(),
  error: errorDataSchema.optional(),
});

export const logEventSchema = z.object({
  kind: z.literal('log'),
  ...base,
  /** The run that logged: the task run if any, else the flow run (seq counts per runId). */
  runId: id,
  flowRunId: id,
  taskRunId: id.optional(),
  level: logLevelSchema,
  message: z.string().max(1_000_000),
});

export const heartbeatEventSchema = z.object({
  kind: z.literal('heartbeat'),
  ...base,
  runId: id,
});

export const eventSchema = z.discriminatedUnion('kind', [
  flowRunStateEventSchema,
  taskRunStateEventSchema,
  logEventSchema,
  heartbeatEventSchema,
]);
export type FlowRunStateEvent = z.infer<typeof flowRunStateEventSchema>;
export type TaskRunStateEvent = z.infer<typeof taskRunStateEventSchema>;
export type LogEvent = z.infer<typeof logEventSchema>;
export type HeartbeatEvent = z.infer<typeof heartbeatEventSchema>;
export type FlowlightEvent = z.infer<typeof eventSchema>;

export const MAX_EVENTS_PER_BATCH = 5000;
export const eventBatchSchema = z.array(z.unknown()).max(MAX_EVENTS_PER_BATCH);

/** Result of ingesting a batch: rejected events name their id and why. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { id: string | null; index: number; reason: string }[];
}

/** Commands from the API to a running engine. */
export const CommandKind = { pause: 'pause', resume: 'resume', cancel: 'cancel' } as const;
export type CommandKind = (typeof CommandKind)[keyof typeof CommandKind];
export const commandSchema = z.object({
  id,
  flowRunId: id,
  command: z.enum(['pause', 'resume', 'cancel']),
  reason: z.string().max(2000).optional(),
  requestedAt: z.number().int(),
});
export type Command = z.infer<typeof commandSchema>;
