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
    state.run('e2', 'old-1', 1, 'COMPLETED', 'Completed', 2);
    state.run('e1', 'old-1', 0, 'RUNNING', 'Running', 1);
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
    } finally {
      store.close();
    }
  });
});
