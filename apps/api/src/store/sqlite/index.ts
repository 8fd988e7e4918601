/** The SQLite implementation of the Store contract, composed from one small repository per resource. */
import type Database from 'better-sqlite3';
import type { Command, StateData } from '@flowlight/schema';
import { openDatabase } from '../../db/open.js';
import { emptyChanges, type Store } from '../types.js';
import { commandsRepo } from './commands.js';
import { deploymentsRepo } from './deployments.js';
import { flowRunQuery } from './flowRunQuery.js';
import { flowRunsRepo } from './flowRuns.js';
import { createIngest } from './ingest.js';
import { LIVE_TYPES } from './stateSets.js';
import { logsRepo } from './logs.js';
import { parseJson, preview, rowState, toFlowRunSummary, toTaskRunSummary } from './rows.js';
import { statesRepo } from './states.js';
import { statsRepo } from './stats.js';
import { historyStates } from './taskHistory.js';
import { taskRunsRepo } from './taskRuns.js';
import { createWriteState } from './writeState.js';

export interface SqliteStoreOptions {
  path: string;
  /** @default Date.now */
  now?: () => number;
}

export function createSqliteStore(opts: SqliteStoreOptions): Store & { db: Database.Database } {
  const now = opts.now ?? Date.now;
  const db = openDatabase(opts.path);
  const flowRuns = flowRunsRepo(db);
  const taskRuns = taskRunsRepo(db);
  const states = statesRepo(db);
  const logs = logsRepo(db);
  const commands = commandsRepo(db);
  const query = flowRunQuery(db);
  const stats = statsRepo(db, now);
  const ingest = createIngest(db, { flowRuns, taskRuns, states, logs }, now);
  const writeState = createWriteState(db, { flowRuns, taskRuns, states }, now);

  // Live runs whose process went quiet, and runs waiting for their own engine's retry (claimed by a
  // worker, or started by a script): a dead process leaves those nowhere to go either. Suspended
  // runs expect no heartbeat; paused ones come last (most wait for their pause timeout).
  const staleRuns = db.prepare<[number, number], { id: string }>(
    `SELECT id FROM (
       SELECT id, state_type = 'PAUSED' AS paused, last_seen FROM flow_runs
        WHERE state_type IN ${LIVE_TYPES} AND last_seen < ? AND state_name <> 'Suspended'
       UNION ALL
       SELECT id, 0, last_seen FROM flow_runs
        WHERE state_type = 'SCHEDULED' AND (claimed_by IS NOT NULL OR deployment_id IS NULL) AND last_seen < ?
     ) ORDER BY paused, last_seen LIMIT 1000`,
  );
  const countAll = db.prepare<[], { flowRuns: number; taskRuns: number; logs: number }>(
    `SELECT (SELECT coalesce(sum(n), 0) FROM flow_run_counts) AS flowRuns,
            (SELECT count(*) FROM task_runs) AS taskRuns,
            (SELECT coalesce(max(rowid), 0) FROM logs) AS logs`,
  );

  const remove = db.transaction((id: string) => {
    if (!flowRuns.get(id)) return null;
    states.removeByRun(id);
    logs.removeByFlow(id);
    taskRuns.removeByFlow(id);
    commands.removeByRun(id);
    flowRuns.remove(id);
    const changes = emptyChanges();
    changes.deletedFlowRunIds.push(id);
    return changes;
  });
  const deployments = deploymentsRepo(db, { flowRuns, states, writeState: (id, s) => writeState(id, s), deleteRun: remove, now });

  return {
    db,
    deployments,
    ingest,
    listFlowRuns: (q) => query.list(q),
    findFlowRunIds: (f, max) => query.findIds(f, max),
    getFlowRun(id) {
      const r = flowRuns.get(id);
      return r ? toFlowRunSummary(r) : null;
    },
    getFlowRunDetail(id) {
      const r = flowRuns.get(id);
      if (!r) return null;
      const parent = r.parent_flow_run_id ? flowRuns.get(r.parent_flow_run_id) : undefined;
      return {
        ...toFlowRunSummary(r),
        parameters: preview(r.parameters),
        result: preview(r.result),
        error: parseJson(r.error),
        states: states.history(id),
        parent: parent ? flowRuns.ref(parent) : null,
        children: flowRuns.children(id),
        flowVersion: r.flow_version,
      };
    },
    getFlowRunDeploymentId: (id) => flowRuns.get(id)?.deployment_id ?? null,
    listTaskRuns: (flowRunId) => taskRuns.byFlow(flowRunId).map(toTaskRunSummary),
    getTaskRun(id) {
      const r = taskRuns.getListed(id);
      return r ? toTaskRunSummary(r) : null;
    },
    getTaskRunDetail(id) {
      const r = taskRuns.get(id);
      if (!r) return null;
      return { ...toTaskRunSummary(r), parameters: preview(r.parameters), result: preview(r.result), states: historyStates(r.history) };
    },
    listLogs: (scope, q) => logs.list(scope, q),
    iterateLogs: (scope, q) => logs.iterate(scope, q),
    listFlows: () => stats.flows(),
    stats: (from, to, buckets) => stats.stats(from, to, buckets),
    writeFlowRunState: (id: string, state: StateData, o = {}) => writeState(id, state, o),
    findStaleRuns: (cutoff) => staleRuns.all(cutoff, cutoff).map((r) => r.id),
    deleteFlowRun: (id) => remove(id),
    recordCommand: (c: Command) => commands.record(c),
    finishCommand: (id, delivered, outcome) => commands.finish(id, delivered, outcome),
    listCommands: (flowRunId) => commands.byRun(flowRunId),
    counts: () => countAll.get() ?? { flowRuns: 0, taskRuns: 0, logs: 0 },
    close: () => db.close(),
    currentState: (id: string) => {
      const r = flowRuns.get(id);
      return r ? rowState(r) : null;
    },
  };
}
