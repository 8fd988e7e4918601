/**
 * Flow runs' state history rows (one per state event, stale ones included), keyed by (run, seq,
 * event id). A task run's history is in its own row (taskHistory.ts).
 */
import type Database from 'better-sqlite3';
import type { StateData } from '@flowlight/schema';
import { historyState, json, type StateRow } from './rows.js';

export function statesRepo(db: Database.Database) {
  const insert = db.prepare<[string, string, number, string, string, string | null, number, string | null]>(
    'INSERT OR IGNORE INTO states (id, run_id, seq, type, name, message, ts, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const remove = db.prepare<[string, number, string]>('DELETE FROM states WHERE run_id = ? AND seq = ? AND id = ?');
  const byRun = db.prepare<[string], StateRow>('SELECT * FROM states WHERE run_id = ? ORDER BY seq, ts');
  const removeByRun = db.prepare<[string]>('DELETE FROM states WHERE run_id = ?');
  return {
    /** Returns false when the event is already stored (a duplicate: same run, seq and id). */
    insert(eventId: string, runId: string, seq: number, s: StateData): boolean {
      return insert.run(eventId, runId, seq, s.type, s.name, s.message ?? null, s.timestamp, json(s.data)).changes > 0;
    },
    remove: (e: { id: string; runId: string; seq: number }) => void remove.run(e.runId, e.seq, e.id),
    history: (runId: string): StateData[] => byRun.all(runId).map(historyState),
    removeByRun: (runId: string) => void removeByRun.run(runId),
  };
}
export type StatesRepo = ReturnType<typeof statesRepo>;
