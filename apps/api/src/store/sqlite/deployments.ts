/**
 * deployments rows and the runs they own: registration, the atomic claim (one SQLite transaction,
 * so two workers never get the same run), runs created by schedules or on request, Late marking,
 * pause and delete. States written here are API-written states (seq = max + 1, transition table).
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  generateRunName,
  type ClaimedRun,
  type ClaimRequest,
  type Deployment,
  type DeploymentSpec,
  type Schedule,
  type StateData,
  type ValuePreview,
} from '@flowlight/schema';
import type { CreateRunInput, DeploymentRow, DeploymentStore } from '../deploymentTypes.js';
import { emptyChanges, type ChangeSet, type WriteStateOutcome } from '../types.js';
import type { FlowRunsRepo, FlowRunWrite } from './flowRuns.js';
import { LIVE_TYPES, TERMINAL_TYPES } from './stateSets.js';
import { parseJson, preview, rowState, toFlowRunSummary, type FlowRunRow } from './rows.js';
import type { StatesRepo } from './states.js';

interface Deps {
  flowRuns: FlowRunsRepo;
  states: StatesRepo;
  writeState: (id: string, state: StateData) => WriteStateOutcome;
  deleteRun: (id: string) => ChangeSet | null;
  now: () => number;
}

const NEXT_RUNS = 5;
const LAST_RUNS = 10;

/** Parameters are stored as the exact JSON preview the engine would send. */
export function exactPreview(value: unknown): ValuePreview {
  return { text: JSON.stringify(value), type: Array.isArray(value) ? 'array' : typeof value, exact: true, truncated: false };
}

function mergeChanges(into: ChangeSet, from: ChangeSet | null | undefined): void {
  if (!from) return;
  for (const id of from.flowRunIds) into.flowRunIds.add(id);
  for (const [k, v] of from.taskRuns) into.taskRuns.set(k, v);
  into.logs.push(...from.logs);
  into.deletedFlowRunIds.push(...from.deletedFlowRunIds);
}

export function deploymentsRepo(db: Database.Database, deps: Deps): DeploymentStore {
  const { flowRuns, states, writeState, deleteRun, now } = deps;

  const byId = db.prepare<[string], DeploymentRow>('SELECT * FROM deployments WHERE id = ?');
  const byKey = db.prepare<[string, string], DeploymentRow>('SELECT * FROM deployments WHERE flow_name = ? AND name = ?');
  const list = db.prepare<[{ name: string | null; flow: string | null }], DeploymentRow>(
    `SELECT * FROM deployments WHERE (@name IS NULL OR name = @name) AND (@flow IS NULL OR flow_name = @flow)
     ORDER BY flow_name, name LIMIT 10000`,
  );
  const insert = db.prepare(
    `INSERT INTO deployments (id, flow_name, name, description, schedule, schedule_anchor, parameters, parameter_schema,
       tags, concurrency_limit, allow_suspend, paused, created_at, updated_at, last_worker_seen_at)
     VALUES (@id, @flow_name, @name, @description, @schedule, @schedule_anchor, @parameters, @parameter_schema,
       @tags, @concurrency_limit, @allow_suspend, @paused, @created_at, @updated_at, @last_worker_seen_at)`,
  );
  const update = db.prepare(
    `UPDATE deployments SET description=@description, schedule=@schedule, schedule_anchor=@schedule_anchor,
       parameters=@parameters, parameter_schema=@parameter_schema, tags=@tags, concurrency_limit=@concurrency_limit,
       allow_suspend=@allow_suspend, updated_at=@updated_at, last_worker_seen_at=@last_worker_seen_at
     WHERE id=@id`,
  );
  const setPaused = db.prepare<[number, number, string]>('UPDATE deployments SET paused = ?, updated_at = ? WHERE id = ?');
  const removeRow = db.prepare<[string]>('DELETE FROM deployments WHERE id = ?');
  const seen = db.prepare<[number, string]>('UPDATE deployments SET last_worker_seen_at = ? WHERE id = ?');
  const active = db.prepare<[], DeploymentRow>('SELECT * FROM deployments WHERE schedule IS NOT NULL AND paused = 0');

  const nextRuns = db.prepare<[string, number], FlowRunRow>(
    `SELECT * FROM flow_runs WHERE deployment_id = ? AND state_type = 'SCHEDULED' ORDER BY expected_start_time, rowid LIMIT ?`,
  );
  const lastRuns = db.prepare<[string, number], FlowRunRow>(
    `SELECT * FROM flow_runs WHERE deployment_id = ? AND state_type <> 'SCHEDULED' ORDER BY start_key DESC, rowid DESC LIMIT ?`,
  );
  /** Runs holding a slot: live ones, and claimed ones waiting for their engine's own retry. */
  const liveCount = db.prepare<[{ id: string }], { n: number }>(
    `SELECT (SELECT count(*) FROM flow_runs WHERE deployment_id = @id AND state_type IN ${LIVE_TYPES})
          + (SELECT count(*) FROM flow_runs WHERE deployment_id = @id AND state_type = 'SCHEDULED' AND claimed_by IS NOT NULL) AS n`,
  );
  /**
   * Due runs nobody owns. A claimed run stays owned (claimed_by) while its engine retries it in
   * process (an engine-written AwaitingRetry is SCHEDULED too); the API's retry releases it.
   */
  const due = db.prepare<[string, number, number], FlowRunRow>(
    `SELECT * FROM flow_runs WHERE deployment_id = ? AND state_type = 'SCHEDULED' AND expected_start_time <= ?
       AND claimed_by IS NULL
     ORDER BY expected_start_time, rowid LIMIT ?`,
  );
  /** Runs the schedule created that are not due yet (removed on pause, schedule change, delete). */
  const futureSlots = db.prepare<[string, number], { id: string }>(
    `SELECT id FROM flow_runs WHERE deployment_id = ? AND state_type = 'SCHEDULED' AND schedule_slot IS NOT NULL
       AND start_time IS NULL AND expected_start_time > ? LIMIT 10000`,
  );
  const slotTaken = db.prepare<[string, number], { id: string }>(
    'SELECT id FROM flow_runs WHERE deployment_id = ? AND schedule_slot = ?',
  );
  const setSlot = db.prepare<[number, string]>('UPDATE flow_runs SET schedule_slot = ? WHERE id = ?');
  const setClaimedBy = db.prepare<[string, string]>('UPDATE flow_runs SET claimed_by = ? WHERE id = ?');
  const release = db.prepare<[number, string]>('UPDATE flow_runs SET expected_start_time = ?, claimed_by = NULL WHERE id = ?');
  const waiting = db.prepare<[string], FlowRunRow>(
    `SELECT * FROM flow_runs WHERE deployment_id = ? AND state_type = 'SCHEDULED' AND claimed_by IS NULL LIMIT 10000`,
  );
  const hadEnded = db.prepare<[string], { x: number }>(`SELECT 1 AS x FROM states WHERE run_id = ? AND type IN ${TERMINAL_TYPES} LIMIT 1`);
  const late = db.prepare<[number], FlowRunRow>(
    `SELECT * FROM flow_runs WHERE state_type = 'SCHEDULED' AND start_key <= ? AND state_name = 'Scheduled'
       AND deployment_id IS NOT NULL LIMIT 500`,
  );

  function toDeployment(r: DeploymentRow): Deployment {
    const d: Deployment = {
      id: r.id,
      name: r.name,
      flowName: r.flow_name,
      parameters: parseJson<Record<string, unknown>>(r.parameters) ?? {},
      tags: parseJson<string[]>(r.tags) ?? [],
      allowSuspend: r.allow_suspend === 1,
      paused: r.paused === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastWorkerSeenAt: r.last_worker_seen_at,
      nextRuns: nextRuns.all(r.id, NEXT_RUNS).map((f) => ({
        id: f.id,
        name: f.name,
        expectedStartTime: f.expected_start_time ?? f.created_at,
        state: rowState(f),
      })),
      lastRuns: lastRuns.all(r.id, LAST_RUNS).map((f) => ({ id: f.id, name: f.name, state: rowState(f), startTime: f.start_time })),
    };
    if (r.description !== null) d.description = r.description;
    const schedule = parseJson<Schedule>(r.schedule);
    if (schedule) d.schedule = schedule;
    const ps = parseJson<Record<string, unknown>>(r.parameter_schema);
    if (ps) d.parameterSchema = ps;
    if (r.concurrency_limit !== null) d.concurrencyLimit = r.concurrency_limit;
    return d;
  }

  function dropFutureScheduled(deploymentId: string, changes: ChangeSet): void {
    for (const { id } of futureSlots.all(deploymentId, now())) mergeChanges(changes, deleteRun(id));
  }

  function insertRun(dep: DeploymentRow, input: CreateRunInput & { slot?: number }): string {
    const at = now();
    const id = randomUUID();
    const name = input.name ?? generateRunName();
    const state: StateData = { type: 'SCHEDULED', name: 'Scheduled', timestamp: at, data: { scheduledTime: input.scheduledTime } };
    if (input.message) state.message = input.message;
    const row: FlowRunWrite = {
      id,
      flow_name: dep.flow_name,
      name,
      tags: dep.tags,
      parameters: JSON.stringify(exactPreview(input.parameters)),
      parent_flow_run_id: null,
      parent_task_run_id: null,
      deployment_id: dep.id,
      flow_version: null,
      state_type: state.type,
      state_name: state.name,
      state_message: state.message ?? null,
      state_ts: state.timestamp,
      state_data: JSON.stringify(state.data),
      state_seq: 1,
      max_seq: 1,
      start_time: null,
      end_time: null,
      duration_ms: null,
      expected_start_time: input.scheduledTime,
      result: null,
      error: null,
      created_at: at,
      updated_at: at,
      last_seen: at,
    };
    flowRuns.insert(row, { flowName: dep.flow_name, name, tags: parseJson<string[]>(dep.tags) ?? [] });
    states.insert(`api-${randomUUID()}`, id, 1, state);
    if (input.slot !== undefined) setSlot.run(input.slot, id);
    return id;
  }

  const register = db.transaction((specs: readonly DeploymentSpec[]) => {
    const at = now();
    const changes = emptyChanges();
    const out: { id: string; name: string; flowName: string }[] = [];
    for (const spec of specs) {
      const schedule = spec.schedule ? JSON.stringify(spec.schedule) : null;
      const cur = byKey.get(spec.flowName, spec.name);
      const row: DeploymentRow = {
        id: cur?.id ?? randomUUID(),
        flow_name: spec.flowName,
        name: spec.name,
        description: spec.description ?? null,
        schedule,
        schedule_anchor: schedule === null ? null : cur && cur.schedule === schedule ? cur.schedule_anchor : at,
        parameters: JSON.stringify(spec.parameters ?? {}),
        parameter_schema: spec.parameterSchema ? JSON.stringify(spec.parameterSchema) : null,
        tags: JSON.stringify(spec.tags ?? []),
        concurrency_limit: spec.concurrencyLimit ?? null,
        allow_suspend: spec.allowSuspend ? 1 : 0,
        paused: cur?.paused ?? 0,
        created_at: cur?.created_at ?? at,
        updated_at: at,
        last_worker_seen_at: at,
      };
      if (cur) {
        // A new schedule replaces the runs the old one created ahead of time.
        if (cur.schedule !== schedule) dropFutureScheduled(cur.id, changes);
        update.run(row);
      } else insert.run(row);
      out.push({ id: row.id, name: row.name, flowName: row.flow_name });
    }
    return { deployments: out, changes };
  });

  const claim = db.transaction((req: ClaimRequest) => {
    const at = now();
    const changes = emptyChanges();
    const deployments = [...new Set(req.deploymentIds)].map((id) => byId.get(id)).filter((d): d is DeploymentRow => !!d);
    for (const d of deployments) seen.run(at, d.id);
    const candidates: { run: FlowRunRow; dep: DeploymentRow }[] = [];
    if (req.limit > 0) {
      for (const dep of deployments) {
        if (dep.concurrency_limit === null) {
          for (const run of due.all(dep.id, at, req.limit)) candidates.push({ run, dep });
          continue;
        }
        const slots = Math.max(0, dep.concurrency_limit - (liveCount.get({ id: dep.id })?.n ?? 0));
        const rows = due.all(dep.id, at, slots + 100);
        for (const run of rows.slice(0, Math.min(slots, req.limit))) candidates.push({ run, dep });
        for (const run of rows.slice(slots)) {
          if (run.state_name === 'AwaitingConcurrencySlot') continue;
          const out = writeState(run.id, {
            type: 'SCHEDULED',
            name: 'AwaitingConcurrencySlot',
            timestamp: at,
            message: `Waiting: ${dep.concurrency_limit} run(s) of deployment ${dep.name} already running (its concurrency limit)`,
            data: { scheduledTime: run.expected_start_time },
          });
          if (out.ok) mergeChanges(changes, out.changes);
        }
      }
    }
    // oldest first across deployments (a stable sort keeps each deployment's creation order on ties)
    candidates.sort((a, b) => (a.run.expected_start_time ?? 0) - (b.run.expected_start_time ?? 0));
    const runs: ClaimedRun[] = [];
    for (const { run, dep } of candidates.slice(0, req.limit)) {
      const retry = hadEnded.get(run.id) !== undefined;
      const out = writeState(run.id, { type: 'PENDING', name: 'Pending', timestamp: at, message: `Claimed by worker ${req.workerId}` });
      if (!out.ok) continue;
      mergeChanges(changes, out.changes);
      setClaimedBy.run(req.workerId, run.id);
      const cur = flowRuns.get(run.id)!;
      // The heartbeat watch counts from the claim, not from when the schedule created the run.
      flowRuns.touch(run.id, at, cur.max_seq);
      const params = preview(cur.parameters);
      let parameters: Record<string, unknown> = {};
      if (params?.exact) parameters = parseJson<Record<string, unknown>>(params.text) ?? {};
      runs.push({
        flowRunId: run.id,
        deploymentId: dep.id,
        flowName: dep.flow_name,
        name: cur.name,
        parameters,
        tags: parseJson<string[]>(cur.tags) ?? [],
        nextSeq: cur.max_seq + 1,
        retry,
      });
    }
    return { runs, changes };
  });

  const setPausedTx = db.transaction((id: string, paused: boolean) => {
    const cur = byId.get(id);
    if (!cur) return null;
    const changes = emptyChanges();
    setPaused.run(paused ? 1 : 0, now(), id);
    if (paused) dropFutureScheduled(id, changes);
    return { deployment: toDeployment(byId.get(id)!), changes };
  });

  /** Nothing would claim its waiting runs any more: never-started ones go, re-runs are cancelled. */
  const removeTx = db.transaction((id: string) => {
    const dep = byId.get(id);
    if (!dep) return null;
    const changes = emptyChanges();
    for (const run of waiting.all(id)) {
      if (run.start_time === null) mergeChanges(changes, deleteRun(run.id));
      else {
        const out = writeState(run.id, {
          type: 'CANCELLED',
          name: 'Cancelled',
          timestamp: now(),
          message: `Cancelled: its deployment ${dep.name} was deleted`,
        });
        if (out.ok) mergeChanges(changes, out.changes);
      }
    }
    removeRow.run(id);
    return changes;
  });

  const addScheduled = db.transaction((deploymentId: string, slots: readonly number[]) => {
    const changes = emptyChanges();
    const dep = byId.get(deploymentId);
    if (!dep || dep.paused || dep.schedule === null) return changes;
    const parameters = parseJson<Record<string, unknown>>(dep.parameters) ?? {};
    for (const slot of slots) {
      if (slotTaken.get(dep.id, slot)) continue;
      changes.flowRunIds.add(insertRun(dep, { parameters, scheduledTime: slot, slot }));
    }
    return changes;
  });

  const markLate = db.transaction((cutoff: number) => {
    const changes = emptyChanges();
    const at = now();
    for (const run of late.all(cutoff)) {
      const out = writeState(run.id, {
        type: 'SCHEDULED',
        name: 'Late',
        timestamp: at,
        message: 'Late: not started in time — no worker serving this deployment claimed it',
        data: { scheduledTime: run.expected_start_time },
      });
      if (out.ok) mergeChanges(changes, out.changes);
    }
    return changes;
  });

  return {
    register: (specs) => register(specs),
    list: (f) => list.all({ name: f.name ?? null, flow: f.flow ?? null }).map(toDeployment),
    get(id) {
      const r = byId.get(id);
      return r ? toDeployment(r) : null;
    },
    setPaused: (id, paused) => setPausedTx(id, paused),
    remove: (id) => removeTx(id),
    createRun(deploymentId, input) {
      const dep = byId.get(deploymentId);
      if (!dep) return null;
      const id = db.transaction(() => insertRun(dep, input))();
      const changes = emptyChanges();
      changes.flowRunIds.add(id);
      return { run: toFlowRunSummary(flowRuns.get(id)!), changes };
    },
    claim: (req) => claim(req),
    activeSchedules: () =>
      active.all().flatMap((d) => {
        const schedule = parseJson<Schedule>(d.schedule);
        return schedule ? [{ id: d.id, schedule, anchor: d.schedule_anchor ?? d.created_at, lastWorkerSeenAt: d.last_worker_seen_at }] : [];
      }),
    addScheduledRuns: (id, slots) => addScheduled(id, slots),
    markLate: (cutoff) => markLate(cutoff),
    startNow: (id) => void release.run(now(), id),
  };
}
