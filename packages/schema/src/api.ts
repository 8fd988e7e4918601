/**
 * REST request and response shapes and the socket.io event maps, shared by apps/api and apps/web.
 * Query strings are parsed with these schemas on the server and built from them in the browser.
 */
import { z } from 'zod';
import {
  STATE_TYPES,
  errorDataSchema,
  stateNameSchema,
  stateSchema,
  stateTypeSchema,
  type ErrorData,
  type StateData,
  type StateType,
} from './states.js';
import { valuePreviewSchema, type Command, type IngestResult, type ValuePreview } from './events.js';
import type { WireEvent } from './wire.js';

/** "a,b" or ["a","b"] or ["a,b","c"] → ["a","b","c"]; empty strings dropped. */
export const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === null || v === '') return undefined;
    const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [x]));
    const kept = parts.filter((x) => x !== '');
    return kept.length ? kept : undefined;
  }, z.array(item).max(100).optional());

const epochMs = z.coerce.number().int().nonnegative();

export const FLOW_RUN_SORTS = [
  'start_desc',
  'start_asc',
  'end_desc',
  'end_asc',
  'duration_desc',
  'duration_asc',
  'name_asc',
  'name_desc',
] as const;
export type FlowRunSort = (typeof FLOW_RUN_SORTS)[number];

export const listFlowRunsQuerySchema = z.object({
  stateType: csv(stateTypeSchema),
  stateName: csv(stateNameSchema),
  flow: csv(z.string().min(1).max(500)),
  tag: csv(z.string().min(1).max(200)),
  startAfter: epochMs.optional(),
  startBefore: epochMs.optional(),
  q: z.string().max(500).optional(),
  parentFlowRunId: z.string().max(128).optional(),
  sort: z.enum(FLOW_RUN_SORTS).default('start_desc'),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListFlowRunsQuery = z.infer<typeof listFlowRunsQuerySchema>;

export interface FlowRunRef {
  id: string;
  name: string;
  flowName: string;
  state: StateData;
}

export interface FlowRunSummary {
  id: string;
  flowName: string;
  name: string;
  tags: string[];
  state: StateData;
  parentFlowRunId: string | null;
  deploymentId: string | null;
  /** Epoch ms of the first RUNNING state. */
  startTime: number | null;
  /** Epoch ms of the terminal state. */
  endTime: number | null;
  /** Run time in ms once terminal; the web ticks it from startTime while running. */
  durationMs: number | null;
  expectedStartTime: number | null;
  createdAt: number;
  updatedAt: number;
  taskRunCount: number;
  /** Task runs per current state type, for the strip in the run list. */
  taskStateCounts: Partial<Record<StateType, number>>;
}

export interface FlowRunDetail extends FlowRunSummary {
  parameters: ValuePreview | null;
  result: ValuePreview | null;
  error: ErrorData | null;
  states: StateData[];
  parent: FlowRunRef | null;
  children: FlowRunRef[];
  flowVersion: string | null;
}

export interface ListFlowRunsResponse {
  items: FlowRunSummary[];
  nextCursor: string | null;
  /** Runs per state type for the same filter without the state filters (for the chips). */
  counts: Record<StateType, number>;
}

export interface TaskRunSummary {
  id: string;
  flowRunId: string;
  taskName: string;
  taskKey: string;
  name: string;
  tags: string[];
  mapIndex: number | null;
  state: StateData;
  attempts: number;
  startTime: number | null;
  endTime: number | null;
  durationMs: number | null;
  error: ErrorData | null;
  createdAt: number;
}

export interface TaskRunDetail extends TaskRunSummary {
  parameters: ValuePreview | null;
  result: ValuePreview | null;
  states: StateData[];
}

export interface LogLine {
  id: string;
  flowRunId: string;
  taskRunId: string | null;
  level: number;
  message: string;
  timestamp: number;
}

export const listLogsQuerySchema = z.object({
  minLevel: z.coerce.number().int().min(0).max(100).optional(),
  q: z.string().max(500).optional(),
  cursor: z.string().max(1000).optional(),
  direction: z.enum(['forward', 'backward']).default('forward'),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
  format: z.enum(['json', 'text']).default('json'),
});
export type ListLogsQuery = z.infer<typeof listLogsQuerySchema>;

export interface ListLogsResponse {
  items: LogLine[];
  /** Cursor for the page after the last item (forward) / before the first item (backward). */
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface FlowSummary {
  name: string;
  runCount: number;
  failureRate: number;
  lastRunAt: number | null;
  lastRuns: { id: string; name: string; state: StateData; startTime: number | null }[];
}

export const statsQuerySchema = z.object({
  from: epochMs.optional(),
  to: epochMs.optional(),
  buckets: z.coerce.number().int().min(1).max(500).default(24),
});
export interface StatsResponse {
  from: number;
  to: number;
  bucketMs: number;
  totals: Record<StateType, number>;
  buckets: { start: number; counts: Record<StateType, number> }[];
}

export const setStateBodySchema = z.object({
  type: z.enum(['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED']),
  name: stateNameSchema.optional(),
  message: z.string().max(2000).optional(),
});
export type SetStateBody = z.infer<typeof setStateBodySchema>;

/** Optional body of POST /api/flow-runs/:id/pause|resume|cancel. */
export const commandBodySchema = z
  .object({ reason: z.string().max(2000).optional() })
  .optional();
export type CommandBody = z.infer<typeof commandBodySchema>;

export const bulkBodySchema = z
  .object({
    ids: z.array(z.string().min(1).max(128)).max(10_000).optional(),
    filter: listFlowRunsQuerySchema.partial().optional(),
    state: setStateBodySchema.optional(),
  })
  .refine((b) => b.ids !== undefined || b.filter !== undefined, { message: 'give ids or a filter', path: ['ids'] });
export type BulkBody = z.infer<typeof bulkBodySchema>;

export interface CommandResponse {
  ok: boolean;
  /** Whether a connected engine acknowledged the command. */
  delivered: boolean;
  message: string;
  state: StateData;
}

export interface BulkResponse {
  results: { id: string; ok: boolean; message: string }[];
}

export interface ApiErrorBody {
  error: string;
  issues?: { path: string; message: string }[];
}

/** A change pushed to browsers. `cursor` is the server's delta sequence, for catch-up after a reconnect. */
export interface DeltaBatch {
  cursor: number;
  flowRuns: FlowRunSummary[];
  taskRuns: TaskRunSummary[];
  logs: LogLine[];
  deletedFlowRunIds: string[];
}

export type UiRoom = { room: 'runs' } | { room: 'run'; flowRunId: string };

/** socket.io namespace `/ui` (browsers). */
export interface UiServerToClient {
  delta: (batch: DeltaBatch) => void;
}
export interface UiClientToServer {
  subscribe: (room: UiRoom) => void;
  unsubscribe: (room: UiRoom) => void;
  /** Ask for everything after `cursor`; `reset` true means too much was missed: refetch snapshots. */
  catchUp: (cursor: number, ack: (res: { reset: boolean; batch: DeltaBatch | null }) => void) => void;
}

/** socket.io namespace `/engine` (running flows). */
export interface EngineServerToClient {
  command: (cmd: Command, ack: (res: { ok: boolean; message?: string }) => void) => void;
}
export interface EngineClientToServer {
  events: (batch: WireEvent[] | Uint8Array | Uint8Array[], ack: (res: IngestResult | { error: string }) => void) => void;
  /** The engine hosts these flow runs: send their commands here. */
  attach: (flowRunIds: string[]) => void;
  detach: (flowRunIds: string[]) => void;
}

export { errorDataSchema, stateSchema, valuePreviewSchema, STATE_TYPES };
