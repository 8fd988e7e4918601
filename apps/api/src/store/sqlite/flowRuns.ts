/** flow_runs rows: read by id, insert, state updates, liveness, denormalised task counts, delete. */
import type Database from 'better-sqlite3';
import type { FlowRunInfo, FlowRunRef, StateType } from '@flowlight/schema';
import { parseJson, rowState, type FlowRunRow } from './rows.js';

export type FlowRunWrite = Omit<FlowRunRow, 'task_run_count' | 'task_counts'>;

export function flowRunsRepo(db: Database.Database) {
  const get = db.prepare<[string], FlowRunRow>('SELECT * FROM flow_runs WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO flow_runs (id, flow_name, name, tags, parameters, parent_flow_run_id, parent_task_run_id,
       deployment_id, flow_version, state_type, state_name, state_message, state_ts, state_data, state_seq, max_seq,
       start_time, end_time, duration_ms, expected_start_time, result, error, created_at, updated_at, last_seen)
     VALUES (@id, @flow_name, @name, @tags, @parameters, @parent_flow_run_id, @parent_task_run_id,
       @deployment_id, @flow_version, @state_type, @state_name, @state_message, @state_ts, @state_data, @state_seq, @max_seq,
       @start_time, @end_time, @duration_ms, @expected_start_time, @result, @error, @created_at, @updated_at, @last_seen)`,
  );
  const update = db.prepare(
    `UPDATE flow_runs SET flow_name=@flow_name, name=@name, tags=@tags, parameters=@parameters,
       parent_flow_run_id=@parent_flow_run_id, parent_task_run_id=@parent_task_run_id, deployment_id=@deployment_id,
       flow_version=@flow_version, state_type=@state_type, state_name=@state_name, state_message=@state_message,
       state_ts=@state_ts, state_data=@state_data, state_seq=@state_seq, max_seq=@max_seq, start_time=@start_time,
       end_time=@end_time, duration_ms=@duration_ms, expected_start_time=@expected_start_time, result=@result,
       error=@error, updated_at=@updated_at, last_seen=@last_seen
     WHERE id=@id`,
  );
  const touch = db.prepare<[number, number, string]>(
    'UPDATE flow_runs SET last_seen = max(last_seen, ?), max_seq = max(max_seq, ?) WHERE id = ?',
  );
  const setMaxSeq = db.prepare<[number, string]>('UPDATE flow_runs SET max_seq = max(max_seq, ?) WHERE id = ?');
  const setTaskCounts = db.prepare<[number, string, string]>(
    'UPDATE flow_runs SET task_run_count = ?, task_counts = ? WHERE id = ?',
  );
  const countTasks = db.prepare<[string], { state_type: StateType; n: number }>(
    'SELECT state_type, count(*) AS n FROM task_runs WHERE flow_run_id = ? GROUP BY state_type',
  );
  const deleteTags = db.prepare<[string]>('DELETE FROM flow_run_tags WHERE flow_run_id = ?');
  const insertTag = db.prepare<[string, string]>('INSERT OR IGNORE INTO flow_run_tags (tag, flow_run_id) VALUES (?, ?)');
  const insertFlow = db.prepare<[string, number]>('INSERT OR IGNORE INTO flows (name, created_at) VALUES (?, ?)');
  const remove = db.prepare<[string]>('DELETE FROM flow_runs WHERE id = ?');
  const children = db.prepare<[string], FlowRunRow>(
    'SELECT * FROM flow_runs WHERE parent_flow_run_id = ? ORDER BY start_key, id LIMIT 1000',
  );

  const setTags = (id: string, tags: readonly string[]) => {
    deleteTags.run(id);
    for (const t of new Set(tags)) insertTag.run(t, id);
  };

  const ref = (r: FlowRunRow): FlowRunRef => ({ id: r.id, name: r.name, flowName: r.flow_name, state: rowState(r) });

  return {
    get: (id: string): FlowRunRow | undefined => get.get(id),
    insert(row: FlowRunWrite, info: FlowRunInfo) {
      insertFlow.run(row.flow_name, row.created_at);
      insert.run(row);
      setTags(row.id, info.tags);
      this.recountTasks(row.id);
    },
    update(row: FlowRunWrite, prevTags: string) {
      update.run(row);
      if (row.tags !== prevTags) setTags(row.id, parseJson<string[]>(row.tags) ?? []);
    },
    touch: (id: string, lastSeen: number, maxSeq: number) => void touch.run(lastSeen, maxSeq, id),
    bumpMaxSeq: (id: string, seq: number) => void setMaxSeq.run(seq, id),
    /** Recomputes task counts from task_runs (used when a flow run row appears after its tasks). */
    recountTasks(id: string) {
      const counts: Partial<Record<StateType, number>> = {};
      let total = 0;
      for (const r of countTasks.all(id)) {
        counts[r.state_type] = r.n;
        total += r.n;
      }
      setTaskCounts.run(total, JSON.stringify(counts), id);
    },
    /** Applies per-type deltas to the denormalised counts. */
    applyTaskDeltas(id: string, added: number, deltas: Map<StateType, number>) {
      const row = get.get(id);
      if (!row) return;
      const counts = parseJson<Partial<Record<StateType, number>>>(row.task_counts) ?? {};
      for (const [type, d] of deltas) {
        const n = (counts[type] ?? 0) + d;
        if (n > 0) counts[type] = n;
        else delete counts[type];
      }
      setTaskCounts.run(row.task_run_count + added, JSON.stringify(counts), id);
    },
    remove: (id: string) => {
      deleteTags.run(id);
      return remove.run(id).changes > 0;
    },
    ref,
    children: (id: string): FlowRunRef[] => children.all(id).map(ref),
  };
}
export type FlowRunsRepo = ReturnType<typeof flowRunsRepo>;
