/**
 * The repository contract the routes, sockets and services use. SQLite implements it
 * (./sqlite); a PostgreSQL store for multi-node deployments would implement the same interface.
 */
import type {
  Command,
  ErrorData,
  FlowRunDetail,
  FlowRunSummary,
  FlowSummary,
  IngestResult,
  ListFlowRunsQuery,
  ListFlowRunsResponse,
  ListLogsQuery,
  ListLogsResponse,
  LogLine,
  StateData,
  StateType,
  StatsResponse,
  TaskRunDetail,
  TaskRunSummary,
} from '@flowlight/schema';
import type { DeploymentStore } from './deploymentTypes.js';

/** What a write changed, so the caller can broadcast after the commit. */
export interface ChangeSet {
  flowRunIds: Set<string>;
  /** task run id → flow run id */
  taskRuns: Map<string, string>;
  logs: LogLine[];
  deletedFlowRunIds: string[];
}

export interface IngestOutcome {
  result: IngestResult;
  changes: ChangeSet;
  /** Rejections with a reason, for the server log. */
  rejectedDetails: { id: string | null; runId: string | null; reason: string }[];
}

export type FilterQuery = Partial<ListFlowRunsQuery>;

export type LogScope = { flowRunId: string } | { taskRunId: string };

export type WriteStateOutcome =
  | { ok: true; state: StateData; changes: ChangeSet }
  | { ok: false; reason: string; state: StateData | null };

export interface CommandRecord extends Command {
  delivered: boolean;
  outcome: string | null;
}

export interface Store {
  /** Validates and stores one batch in one transaction. Never throws on bad events. */
  ingest(events: readonly unknown[]): IngestOutcome;

  listFlowRuns(query: ListFlowRunsQuery): ListFlowRunsResponse;
  /** Ids matching a filter (no pagination), newest first, at most `max`. */
  findFlowRunIds(filter: FilterQuery, max: number): string[];
  getFlowRun(id: string): FlowRunSummary | null;
  getFlowRunDetail(id: string): FlowRunDetail | null;
  getFlowRunDeploymentId(id: string): string | null;
  currentState(id: string): StateData | null;

  listTaskRuns(flowRunId: string): TaskRunSummary[];
  getTaskRun(id: string): TaskRunSummary | null;
  getTaskRunDetail(id: string): TaskRunDetail | null;

  listLogs(scope: LogScope, query: ListLogsQuery): ListLogsResponse;
  /** Every matching line in time order (bounded), for a text download. */
  iterateLogs(scope: LogScope, query: Pick<ListLogsQuery, 'minLevel' | 'q'>): Iterable<LogLine>;

  listFlows(): FlowSummary[];
  stats(from: number, to: number, buckets: number): StatsResponse;

  /**
   * A state the API writes itself (crash detection, cancel of a disconnected run, retry, set-state):
   * seq = the run's max seq + 1, checked by the transition table (`force` for set-state).
   */
  writeFlowRunState(
    id: string,
    state: StateData,
    opts?: { force?: boolean; error?: ErrorData; cascadeTasks?: StateType },
  ): WriteStateOutcome;
  /** Non-terminal live runs whose last event is older than `cutoff` (epoch ms). */
  findStaleRuns(cutoff: number): string[];
  deleteFlowRun(id: string): ChangeSet | null;

  recordCommand(cmd: Command): void;
  finishCommand(id: string, delivered: boolean, outcome: string): void;
  listCommands(flowRunId: string): CommandRecord[];

  counts(): { flowRuns: number; taskRuns: number; logs: number };
  close(): void;

  /** Deployments, schedules and the worker claim (issue 5). */
  deployments: DeploymentStore;
}

export function emptyChanges(): ChangeSet {
  return { flowRunIds: new Set(), taskRuns: new Map(), logs: [], deletedFlowRunIds: [] };
}
