import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listFlowRunsQuerySchema } from '@flowlight/schema';
import { MIGRATIONS } from '../src/db/migrations.js';
import { createSqliteStore } from '../src/store/sqlite/index.js';
import { tempDir } from './helpers.js';

describe('migrations', () => {
  it('opening a database written by the first version upgrades it and keeps its runs', () => {
    const p = path.join(tempDir(), 'old.db');
    const old = new Database(p);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    const insert = old.prepare(
      `INSERT INTO flow_runs (id, flow_name, name, state_type, state_name, state_ts, state_seq, max_seq, created_at, updated_at, last_seen)
       VALUES (?, ?, ?, ?, ?, 1, 1, 1, 1, 1, 1)`,
    );
    insert.run('old-1', 'etl', 'a', 'COMPLETED', 'Completed');
    insert.run('old-2', 'etl', 'b', 'FAILED', 'Failed');
    insert.run('old-3', 'report', 'c', 'COMPLETED', 'Completed');
    const state = old.prepare('INSERT INTO states (id, run_id, seq, type, name, ts) VALUES (?, ?, ?, ?, ?, ?)');
    const fullState = old.prepare(
      'INSERT INTO states (id, run_id, seq, type, name, message, ts, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const taskRun = old.prepare(
      `INSERT INTO task_runs (id, flow_run_id, task_name, task_key, name, state_type, state_name, state_ts, state_seq, created_at, updated_at)
       VALUES (?, 'old-1', 'load', 'load', ?, ?, ?, ?, ?, 1, ?)`,
    );
    state.run('e2', 'old-1', 1, 'COMPLETED', 'Completed', 2);
    state.run('e1', 'old-1', 0, 'RUNNING', 'Running', 1);
    // a task run's history as version 1 stored it: a reordered row, a message, data
    taskRun.run('old-t', 'load-0', 'FAILED', 'Failed', 3, 2, 3);
    state.run('t3', 'old-t', 2, 'FAILED', 'Failed', 3);
    fullState.run('t1', 'old-t', 0, 'PENDING', 'Pending', 'queued', 1, '{"slot":2}');
    state.run('t2', 'old-t', 1, 'RUNNING', 'Running', 2);
    // a state whose data is not JSON (readers skipped it) does not stop the upgrade
    taskRun.run('old-u', 'load-1', 'RUNNING', 'Running', 4, 0, 4);
    fullState.run('u1', 'old-u', 0, 'RUNNING', 'Running', null, 4, '{not json');
    old.close();

    const store = createSqliteStore({ path: p });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const page = store.listFlowRuns(listFlowRunsQuerySchema.parse({ flow: 'etl' }));
      expect(page.items.map((r) => r.id).sort()).toEqual(['old-1', 'old-2']);
      expect(page.counts).toMatchObject({ COMPLETED: 1, FAILED: 1, RUNNING: 0 });
      expect(store.listFlowRuns(listFlowRunsQuerySchema.parse({})).counts).toMatchObject({ COMPLETED: 2, FAILED: 1 });
      // the state history moved to its (run, seq, id) table in order
      expect(store.getFlowRunDetail('old-1')?.states.map((s) => s.name)).toEqual(['Running', 'Completed']);
      // a task run's history moved into its row, in order, with its message and data
      expect(store.getTaskRunDetail('old-t')?.states).toEqual([
        { type: 'PENDING', name: 'Pending', timestamp: 1, message: 'queued', data: { slot: 2 } },
        { type: 'RUNNING', name: 'Running', timestamp: 2 },
        { type: 'FAILED', name: 'Failed', timestamp: 3 },
      ]);
      expect(store.db.prepare("SELECT count(*) AS n FROM states WHERE run_id = 'old-t'").get()).toEqual({ n: 0 });
      expect(store.getTaskRunDetail('old-u')?.states).toEqual([{ type: 'RUNNING', name: 'Running', timestamp: 4 }]);
    } finally {
      store.close();
    }
  });
});
