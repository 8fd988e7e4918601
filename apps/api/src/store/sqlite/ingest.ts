/**
 * Applies one batch of engine events inside one transaction:
 * - a state event stored already (same run, seq and id) is a duplicate and changes nothing;
 * - a state event older (seq < current state's seq) than the run's current state is kept in the
 *   history but never made current (documented choice: a reordered event is stored, not lost);
 *   one with the same seq as the current state conflicts with it and is rejected as stale;
 * - otherwise the transition table decides; an illegal move is rejected with its reason and
 *   leaves no trace;
 * - the run row is upserted from the identity every state event carries, so a task run whose
 *   flow run has not arrived yet is stored and counted once the flow run appears.
 */
import type Database from 'better-sqlite3';
import {
  checkTransition,
  expandGroup,
  wireEventSchema,
  type FlowlightEvent,
  type FlowRunStateEvent,
  type IngestResult,
  type StateName,
  type StateType,
  type TaskRunStateEvent,
} from '@flowlight/schema';
import { emptyChanges, type ChangeSet, type IngestOutcome } from '../types.js';
import type { FlowRunsRepo, FlowRunWrite } from './flowRuns.js';
import type { LogsRepo } from './logs.js';
import { compactPreview, json, type TaskRunRow } from './rows.js';
import type { StatesRepo } from './states.js';
import { historyEntry, holdsEvent, parseHistory, type HistoryEntry } from './taskHistory.js';
import { setCurrentState, type TaskRunsRepo } from './taskRuns.js';
import { nextTiming } from './timing.js';

interface Repos {
  flowRuns: FlowRunsRepo;
  taskRuns: TaskRunsRepo;
  states: StatesRepo;
  logs: LogsRepo;
}

type Verdict = { kind: 'applied' } | { kind: 'duplicate' } | { kind: 'stale' } | { kind: 'rejected'; reason: string };

/** Per-batch accumulators, flushed once per run at the end of the batch. */
interface Pending {
  /** flow run id → [lastSeen, maxSeq] */
  touched: Map<string, [number, number]>;
  /** flow run id → new task runs and per-type deltas */
  taskDeltas: Map<string, { added: number; deltas: Map<StateType, number> }>;
  /** Task runs read or changed in this batch; written once at the end (a task's Pending →
   * Running → Completed in one batch costs one read and one write). */
  tasks: Map<string, TaskEntry>;
  /** Task runs whose row changed since it was last written. */
  dirtyTasks: Set<string>;
}

/** A task run in a batch: its row (none until it has a state), its history, and whether the row
 * is stored already (a new one takes a plain INSERT, cheaper than an upsert). */
interface TaskEntry {
  row: TaskRunRow | undefined;
  history: HistoryEntry[];
  stored: boolean;
}

const scheduledTime = (data: Record<string, unknown> | undefined, fallback: number | null): number | null => {
  const v = data?.['scheduledTime'];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
};

/**
 * An event older than the current state: a reordered one (lower seq) is kept in the history; one
 * with the very seq of the current state is a conflicting write (e.g. the API crashed the run at
 * that seq) and is rejected.
 */
function stale(seq: number, currentSeq: number, currentName: string): Verdict {
  if (seq < currentSeq) return { kind: 'stale' };
  return { kind: 'rejected', reason: `stale: seq ${seq} is already taken by the current state ${currentName}` };
}

/** The row of a task run seen for the first time; its state fields are set from the event next. */
function newTaskRow(e: TaskRunStateEvent, at: number): TaskRunRow {
  return {
    id: e.runId,
    flow_run_id: e.flowRunId,
    task_name: '',
    task_key: '',
    name: '',
    tags: '[]',
    map_index: null,
    parameters: null,
    state_type: e.state.type,
    state_name: e.state.name,
    state_message: null,
    state_ts: 0,
    state_data: null,
    state_seq: 0,
    attempts: 1,
    start_time: null,
    end_time: null,
    duration_ms: null,
    result: null,
    error: null,
    created_at: at,
    updated_at: at,
    history: '[]',
  };
}

export function createIngest(db: Database.Database, repos: Repos, now: () => number) {
  const { flowRuns, taskRuns, states, logs } = repos;

  function touch(p: Pending, flowRunId: string, seq: number, at: number) {
    const cur = p.touched.get(flowRunId);
    if (cur) {
      cur[0] = at;
      if (seq > cur[1]) cur[1] = seq;
    } else p.touched.set(flowRunId, [at, seq]);
  }

  function taskDelta(p: Pending, flowRunId: string, from: StateType | null, to: StateType) {
    let d = p.taskDeltas.get(flowRunId);
    if (!d) p.taskDeltas.set(flowRunId, (d = { added: 0, deltas: new Map() }));
    if (from === null) d.added++;
    else d.deltas.set(from, (d.deltas.get(from) ?? 0) - 1);
    d.deltas.set(to, (d.deltas.get(to) ?? 0) + 1);
  }

  /** Whether a state event becomes the run's current state: null when it does; otherwise why not. */
  function judge(
    e: { seq: number; state: FlowRunStateEvent['state'] },
    cur: { state_seq: number; state_type: StateType; state_name: StateName } | undefined,
  ): Verdict | null {
    if (cur && e.seq <= cur.state_seq) return stale(e.seq, cur.state_seq, cur.state_name);
    const check = checkTransition(cur ? { type: cur.state_type, name: cur.state_name } : null, e.state);
    return check.ok ? null : { kind: 'rejected', reason: check.reason };
  }

  function flowRunState(e: FlowRunStateEvent, p: Pending, at: number): Verdict {
    if (!states.insert(e.id, e.runId, e.seq, e.state)) return { kind: 'duplicate' };
    const cur = flowRuns.get(e.runId);
    const v = judge(e, cur);
    if (v) {
      if (v.kind === 'rejected') states.remove(e); // a rejected state leaves no trace
      else flowRuns.bumpMaxSeq(e.runId, e.seq);
      return v;
    }
    const info = e.flowRun;
    const timing = nextTiming(cur ?? null, e.state);
    const row: FlowRunWrite = {
      id: e.runId,
      flow_name: info.flowName,
      name: info.name,
      tags: JSON.stringify(info.tags),
      parameters: info.parameters ? JSON.stringify(info.parameters) : (cur?.parameters ?? null),
      parent_flow_run_id: info.parentFlowRunId ?? cur?.parent_flow_run_id ?? null,
      parent_task_run_id: info.parentTaskRunId ?? cur?.parent_task_run_id ?? null,
      deployment_id: info.deploymentId ?? cur?.deployment_id ?? null,
      flow_version: info.flowVersion ?? cur?.flow_version ?? null,
      state_type: e.state.type,
      state_name: e.state.name,
      state_message: e.state.message ?? null,
      state_ts: e.state.timestamp,
      state_data: json(e.state.data),
      state_seq: e.seq,
      max_seq: Math.max(e.seq, cur?.max_seq ?? -1),
      ...timing,
      expected_start_time:
        e.state.type === 'SCHEDULED'
          ? scheduledTime(e.state.data, cur?.expected_start_time ?? e.state.timestamp)
          : (cur?.expected_start_time ?? null),
      result: e.result ? JSON.stringify(e.result) : (cur?.result ?? null),
      error: e.error ? JSON.stringify(e.error) : e.state.type === 'COMPLETED' ? null : (cur?.error ?? null),
      created_at: cur?.created_at ?? at,
      updated_at: at,
      last_seen: at,
    };
    if (cur) flowRuns.update(row, cur.tags);
    else {
      // The insert counts the run's stored task runs: store the ones this batch changed first.
      writeTasks(p);
      flowRuns.insert(row, info);
      p.taskDeltas.delete(e.runId); // the insert counted every task run stored so far
    }
    touch(p, e.runId, e.seq, at);
    return { kind: 'applied' };
  }

  function taskRunState(e: TaskRunStateEvent, p: Pending, at: number): Verdict {
    let task = p.tasks.get(e.runId);
    if (!task) {
      const stored = taskRuns.get(e.runId);
      task = { row: stored, history: stored ? parseHistory(stored.history) : [], stored: stored !== undefined };
      p.tasks.set(e.runId, task);
    }
    const cur = task.row;
    if (holdsEvent(task.history, e.id, e.seq)) return { kind: 'duplicate' };
    touch(p, e.flowRunId, -1, at);
    const v = judge(e, cur);
    if (v?.kind === 'rejected') return v; // leaves no trace
    task.history.push(historyEntry(e.id, e.seq, e.state));
    // A row this batch made (or copied) already is updated in place: a task run's Pending →
    // Running → Completed builds one row. A row read from the database is copied first, so a
    // batch that fails leaves nothing changed in memory either.
    const fromType = cur?.state_type ?? null;
    const row: TaskRunRow = !cur ? newTaskRow(e, at) : p.dirtyTasks.has(e.runId) ? cur : { ...cur };
    task.row = row;
    p.dirtyTasks.add(e.runId);
    if (v) return v; // stale: kept in the history only
    const info = e.taskRun;
    row.task_name = info.taskName;
    row.task_key = info.taskKey;
    row.name = info.name;
    row.tags = info.tags.length ? JSON.stringify(info.tags) : '[]';
    row.map_index = info.mapIndex ?? null;
    if (info.parameters) row.parameters = compactPreview(info.parameters);
    setCurrentState(row, e.seq, e.state, at);
    row.attempts = Math.max(e.attempt, row.attempts);
    if (e.result) row.result = compactPreview(e.result);
    if (e.error) row.error = JSON.stringify(e.error);
    else if (e.state.type === 'COMPLETED') row.error = null;
    if (fromType !== row.state_type) taskDelta(p, row.flow_run_id, fromType, row.state_type);
    return { kind: 'applied' };
  }

  function writeTasks(p: Pending) {
    for (const id of p.dirtyTasks) {
      const task = p.tasks.get(id)!;
      const row = task.row!;
      row.history = JSON.stringify(task.history);
      if (task.stored) taskRuns.upsert(row);
      else taskRuns.insert(row);
      task.stored = true;
    }
    p.dirtyTasks.clear();
  }

  function flush(p: Pending) {
    writeTasks(p);
    for (const [id, [seen, seq]] of p.touched) flowRuns.touch(id, seen, seq);
    for (const [id, d] of p.taskDeltas) flowRuns.applyTaskDeltas(id, d.added, d.deltas);
  }

  const run = db.transaction((events: readonly unknown[], out: IngestOutcome) => {
    const at = now();
    const p: Pending = { touched: new Map(), taskDeltas: new Map(), tasks: new Map(), dirtyTasks: new Set() };
    const changes: ChangeSet = out.changes;
    const res: IngestResult = out.result;
    const apply = (e: FlowlightEvent, index: number) => {
      let v: Verdict;
      switch (e.kind) {
        case 'flow-run-state':
          v = flowRunState(e, p, at);
          if (v.kind === 'applied' || v.kind === 'stale') changes.flowRunIds.add(e.runId);
          break;
        case 'task-run-state':
          v = taskRunState(e, p, at);
          if (v.kind === 'applied') changes.taskRuns.set(e.runId, e.flowRunId);
          break;
        case 'log': {
          const line = logs.insert(e.id, e.flowRunId, e.taskRunId ?? null, e.level, e.message, e.ts);
          v = line ? { kind: 'applied' } : { kind: 'duplicate' };
          if (line) {
            changes.logs.push(line);
            touch(p, e.flowRunId, e.runId === e.flowRunId ? e.seq : -1, at);
          }
          break;
        }
        case 'heartbeat':
          touch(p, e.runId, e.seq, at);
          v = { kind: 'applied' };
          break;
      }
      if (v.kind === 'duplicate') res.duplicates++;
      else if (v.kind === 'rejected') {
        res.rejected.push({ id: e.id, index, reason: v.reason });
        out.rejectedDetails.push({ id: e.id, runId: e.runId, reason: v.reason });
      } else res.accepted++;
    };
    events.forEach((raw, index) => {
      const parsed = wireEventSchema.safeParse(raw);
      if (!parsed.success) {
        const rawId = (raw as { id?: unknown } | null)?.id;
        const reason = parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
          .join('; ');
        res.rejected.push({ id: typeof rawId === 'string' ? rawId.slice(0, 128) : null, index, reason });
        out.rejectedDetails.push({ id: typeof rawId === 'string' ? rawId.slice(0, 128) : null, runId: null, reason });
        return;
      }
      const e = parsed.data;
      if (e.kind === 'task-run-states') for (const one of expandGroup(e)) apply(one, index);
      else apply(e, index);
    });
    flush(p);
    for (const id of p.taskDeltas.keys()) changes.flowRunIds.add(id);
  });

  return function ingest(events: readonly unknown[]): IngestOutcome {
    const out: IngestOutcome = {
      result: { accepted: 0, duplicates: 0, rejected: [] },
      changes: emptyChanges(),
      rejectedDetails: [],
    };
    run(events, out);
    return out;
  };
}

