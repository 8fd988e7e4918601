/** task_runs rows: read, upsert from state events, list per flow run, delete. */
import type Database from 'better-sqlite3';
import type { TaskRunRow } from './rows.js';
import { TERMINAL_TYPES } from './stateSets.js';

const INSERT = `INSERT INTO task_runs (id, flow_run_id, task_name, task_key, name, tags, map_index, parameters, state_type,
       state_name, state_message, state_ts, state_data, state_seq, attempts, start_time, end_time, duration_ms,
       result, error, created_at, updated_at)
     VALUES (@id, @flow_run_id, @task_name, @task_key, @name, @tags, @map_index, @parameters, @state_type,
       @state_name, @state_message, @state_ts, @state_data, @state_seq, @attempts, @start_time, @end_time, @duration_ms,
       @result, @error, @created_at, @updated_at)`;

export function taskRunsRepo(db: Database.Database) {
  const get = db.prepare<[string], TaskRunRow>('SELECT * FROM task_runs WHERE id = ?');
  const upsert = db.prepare(
    `${INSERT} ON CONFLICT(id) DO UPDATE SET task_name=excluded.task_name, task_key=excluded.task_key, name=excluded.name,
       tags=excluded.tags, map_index=excluded.map_index, parameters=excluded.parameters,
       state_type=excluded.state_type, state_name=excluded.state_name, state_message=excluded.state_message,
       state_ts=excluded.state_ts, state_data=excluded.state_data, state_seq=excluded.state_seq,
       attempts=excluded.attempts, start_time=excluded.start_time, end_time=excluded.end_time,
       duration_ms=excluded.duration_ms, result=excluded.result, error=excluded.error, updated_at=excluded.updated_at`,
  );
  const insert = db.prepare(INSERT);
  const byFlow = db.prepare<[string], TaskRunRow>(
    'SELECT * FROM task_runs WHERE flow_run_id = ? ORDER BY created_at, id LIMIT 20000',
  );
  const liveByFlow = db.prepare<[string], TaskRunRow>(
    `SELECT * FROM task_runs WHERE flow_run_id = ? AND state_type NOT IN ${TERMINAL_TYPES}`,
  );
  const idsByFlow = db.prepare<[string], { id: string }>('SELECT id FROM task_runs WHERE flow_run_id = ?');
  const removeByFlow = db.prepare<[string]>('DELETE FROM task_runs WHERE flow_run_id = ?');
  return {
    get: (id: string): TaskRunRow | undefined => get.get(id),
    upsert: (row: TaskRunRow) => void upsert.run(row),
    /** For a row known not to exist yet. */
    insert: (row: TaskRunRow) => void insert.run(row),
    byFlow: (flowRunId: string): TaskRunRow[] => byFlow.all(flowRunId),
    liveByFlow: (flowRunId: string): TaskRunRow[] => liveByFlow.all(flowRunId),
    idsByFlow: (flowRunId: string): string[] => idsByFlow.all(flowRunId).map((r) => r.id),
    removeByFlow: (flowRunId: string) => void removeByFlow.run(flowRunId),
  };
}
export type TaskRunsRepo = ReturnType<typeof taskRunsRepo>;
