/** The durable record of every command sent (or attempted) to a running engine. */
import type Database from 'better-sqlite3';
import type { Command } from '@flowlight/schema';
import type { CommandRecord } from '../types.js';

interface CommandRow {
  id: string;
  flow_run_id: string;
  command: Command['command'];
  reason: string | null;
  requested_at: number;
  delivered: number;
  outcome: string | null;
}

export function commandsRepo(db: Database.Database) {
  const insert = db.prepare<[string, string, string, string | null, number]>(
    'INSERT INTO commands (id, flow_run_id, command, reason, requested_at) VALUES (?, ?, ?, ?, ?)',
  );
  const finish = db.prepare<[number, string, string]>('UPDATE commands SET delivered = ?, outcome = ? WHERE id = ?');
  const byRun = db.prepare<[string], CommandRow>('SELECT * FROM commands WHERE flow_run_id = ? ORDER BY requested_at, id');
  const removeByRun = db.prepare<[string]>('DELETE FROM commands WHERE flow_run_id = ?');
  return {
    record: (c: Command) => void insert.run(c.id, c.flowRunId, c.command, c.reason ?? null, c.requestedAt),
    finish: (id: string, delivered: boolean, outcome: string) => void finish.run(delivered ? 1 : 0, outcome, id),
    byRun: (flowRunId: string): CommandRecord[] =>
      byRun.all(flowRunId).map((r) => {
        const c: CommandRecord = {
          id: r.id,
          flowRunId: r.flow_run_id,
          command: r.command,
          requestedAt: r.requested_at,
          delivered: r.delivered === 1,
          outcome: r.outcome,
        };
        if (r.reason !== null) c.reason = r.reason;
        return c;
      }),
    removeByRun: (flowRunId: string) => void removeByRun.run(flowRunId),
  };
}
