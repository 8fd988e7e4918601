import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskRunRow } from '../src/store/sqlite/rows.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import { taskRunsRepo } from '../src/store/sqlite/taskRuns.js';
import { Events, tempDir } from './helpers.js';

// Every column holds a value no other column could hold, so a write that binds two columns in
// each other's place (they are bound by position) reads back different.
const row = (n: number): TaskRunRow => ({
  id: `t-${n}`,
  flow_run_id: `f-${n}`,
  task_name: `task-name-${n}`,
  task_key: `task-key-${n}`,
  name: `name-${n}`,
  tags: `["tag-${n}"]`,
  map_index: 100 + n,
  parameters: `["params-${n}","string"]`,
  state_type: 'FAILED',
  state_name: 'Failed',
  state_message: `message-${n}`,
  state_ts: 200 + n,
  state_data: `{"data":${n}}`,
  state_seq: 300 + n,
  attempts: 400 + n,
  start_time: 500 + n,
  end_time: 600 + n,
  duration_ms: 700 + n,
  result: `["result-${n}","string"]`,
  error: `{"name":"E${n}","message":"m"}`,
  created_at: 800 + n,
  updated_at: 900 + n,
  history: `[[${n},"e-${n}","FAILED",1]]`,
});

describe('task_runs rows', () => {
  it('read back column for column after an insert and an upsert', () => {
    const store = createSqliteStore({ path: path.join(tempDir(), 'rows.db') });
    try {
      const repo = taskRunsRepo(store.db);
      repo.insert(row(1));
      expect(repo.get('t-1')).toEqual(row(1));
      // the upsert takes every new value but the run's id, flow run and creation time
      repo.upsert({ ...row(2), id: 't-1' });
      expect(repo.get('t-1')).toEqual({ ...row(2), id: 't-1', flow_run_id: 'f-1', created_at: 801 });
    } finally {
      store.close();
    }
  });

  it('a history column that is not a JSON array (edited by hand) reads as empty and takes new states', () => {
    const store = createSqliteStore({ path: path.join(tempDir(), 'history.db') });
    try {
      const ev = new Events();
      expect(store.ingest([ev.flow('hf', 'RUNNING'), ev.task('ht', 'hf', 'PENDING')]).result.rejected).toEqual([]);
      store.db.prepare("UPDATE task_runs SET history = 'null' WHERE id = 'ht'").run();
      expect(store.getTaskRunDetail('ht')?.states).toEqual([]);
      const out = store.ingest([ev.task('ht', 'hf', 'RUNNING')]);
      expect(out.result).toMatchObject({ accepted: 1, rejected: [] });
      expect(store.getTaskRunDetail('ht')?.states.map((s) => s.name)).toEqual(['Running']);
    } finally {
      store.close();
    }
  });
});
