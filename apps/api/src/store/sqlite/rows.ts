/** Row shapes of the SQLite tables and their mapping to the shared API shapes. */
import type {
  ErrorData,
  FlowRunSummary,
  LogLine,
  StateData,
  StateName,
  StateType,
  TaskRunSummary,
  ValuePreview,
} from '@flowlight/schema';

export interface FlowRunRow {
  id: string;
  flow_name: string;
  name: string;
  tags: string;
  parameters: string | null;
  parent_flow_run_id: string | null;
  parent_task_run_id: string | null;
  deployment_id: string | null;
  flow_version: string | null;
  state_type: StateType;
  state_name: StateName;
  state_message: string | null;
  state_ts: number;
  state_data: string | null;
  state_seq: number;
  max_seq: number;
  start_time: number | null;
  end_time: number | null;
  duration_ms: number | null;
  expected_start_time: number | null;
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  last_seen: number;
  task_run_count: number;
  task_counts: string;
}

export interface TaskRunRow {
  id: string;
  flow_run_id: string;
  task_name: string;
  task_key: string;
  name: string;
  tags: string;
  map_index: number | null;
  parameters: string | null;
  state_type: StateType;
  state_name: StateName;
  state_message: string | null;
  state_ts: number;
  state_data: string | null;
  state_seq: number;
  attempts: number;
  start_time: number | null;
  end_time: number | null;
  duration_ms: number | null;
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** JSON array of the run's states (see taskHistory.ts). */
  history: string;
}

export interface StateRow {
  id: string;
  run_id: string;
  seq: number;
  type: StateType;
  name: StateName;
  message: string | null;
  ts: number;
  data: string | null;
}

export interface LogRow {
  rowid: number;
  id: string;
  flow_run_id: string;
  task_run_id: string | null;
  level: number;
  message: string;
  ts: number;
}

export const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
export function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function makeStateData(type: StateType, name: StateName, message: string | null, ts: number, data: string | null): StateData {
  const s: StateData = { type, name, timestamp: ts };
  if (message !== null) s.message = message;
  const d = parseJson<Record<string, unknown>>(data);
  if (d) s.data = d;
  return s;
}

export const rowState = (r: {
  state_type: StateType;
  state_name: StateName;
  state_message: string | null;
  state_ts: number;
  state_data: string | null;
}): StateData => makeStateData(r.state_type, r.state_name, r.state_message, r.state_ts, r.state_data);

export const historyState = (r: StateRow): StateData => makeStateData(r.type, r.name, r.message, r.ts, r.data);

export function toFlowRunSummary(r: FlowRunRow): FlowRunSummary {
  return {
    id: r.id,
    flowName: r.flow_name,
    name: r.name,
    tags: parseJson<string[]>(r.tags) ?? [],
    state: rowState(r),
    parentFlowRunId: r.parent_flow_run_id,
    deploymentId: r.deployment_id,
    startTime: r.start_time,
    endTime: r.end_time,
    durationMs: r.duration_ms,
    expectedStartTime: r.expected_start_time,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    taskRunCount: r.task_run_count,
    taskStateCounts: parseJson<Partial<Record<StateType, number>>>(r.task_counts) ?? {},
  };
}

export function toTaskRunSummary(r: Omit<TaskRunRow, 'history'>): TaskRunSummary {
  return {
    id: r.id,
    flowRunId: r.flow_run_id,
    taskName: r.task_name,
    taskKey: r.task_key,
    name: r.name,
    tags: parseJson<string[]>(r.tags) ?? [],
    mapIndex: r.map_index,
    state: rowState(r),
    attempts: r.attempts,
    startTime: r.start_time,
    endTime: r.end_time,
    durationMs: r.duration_ms,
    error: parseJson<ErrorData>(r.error),
    createdAt: r.created_at,
  };
}

export const toLogLine = (r: LogRow): LogLine => ({
  id: r.id,
  flowRunId: r.flow_run_id,
  taskRunId: r.task_run_id,
  level: r.level,
  message: r.message,
  timestamp: r.ts,
});

/**
 * A task run's parameters and result as stored: [text, type] when the preview is exact and whole
 * (most are), else [text, type, exact, truncated]; a fifth of the object's bytes, of a row stored
 * per task run. Flow runs store the object (their list searches its text).
 */
export const compactPreview = (p: ValuePreview): string =>
  JSON.stringify(p.exact && !p.truncated ? [p.text, p.type] : [p.text, p.type, p.exact, p.truncated]);

/** A stored preview, in either form. */
export function preview(text: string | null): ValuePreview | null {
  const v = parseJson<ValuePreview | [string, string, boolean?, boolean?]>(text);
  if (!Array.isArray(v)) return v;
  return { text: v[0], type: v[1], exact: v[2] ?? true, truncated: v[3] ?? false };
}
