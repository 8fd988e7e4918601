/** Dashboard aggregates: runs per state type in time buckets, and the per-flow summary. */
import type Database from 'better-sqlite3';
import { STATE_TYPES, type FlowSummary, type StateType, type StatsResponse } from '@flowlight/schema';
import { rowState, type FlowRunRow } from './rows.js';
import { TERMINAL_TYPES } from './stateSets.js';

const zeroCounts = () => Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Record<StateType, number>;

/** `now` keeps runs scheduled for later out of a flow's last runs. */
export function statsRepo(db: Database.Database, now: () => number = Date.now) {
  const bucketed = db.prepare<[number, number, number, number], { b: number; state_type: StateType; n: number }>(
    `SELECT CAST((start_key - ?) / ? AS INTEGER) AS b, state_type, count(*) AS n FROM flow_runs
     WHERE start_key >= ? AND start_key < ? GROUP BY b, state_type`,
  );
  const flows = db.prepare<[number], { name: string; runs: number; failed: number; terminal: number; last: number | null }>(
    `SELECT f.name AS name,
       (SELECT count(*) FROM flow_runs r WHERE r.flow_name = f.name) AS runs,
       (SELECT count(*) FROM flow_runs r WHERE r.flow_name = f.name AND r.state_type IN ('FAILED','CRASHED')) AS failed,
       (SELECT count(*) FROM flow_runs r WHERE r.flow_name = f.name AND r.state_type IN ${TERMINAL_TYPES}) AS terminal,
       (SELECT max(start_key) FROM flow_runs r WHERE r.flow_name = f.name AND r.start_key <= ?) AS last
     FROM flows f ORDER BY f.name`,
  );
  const lastRuns = db.prepare<[string, number], FlowRunRow>(
    'SELECT * FROM flow_runs WHERE flow_name = ? AND start_key <= ? ORDER BY start_key DESC, id DESC LIMIT 10',
  );
  return {
    stats(from: number, to: number, buckets: number): StatsResponse {
      const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
      const out: StatsResponse = {
        from,
        to,
        bucketMs,
        totals: zeroCounts(),
        buckets: Array.from({ length: buckets }, (_, i) => ({ start: from + i * bucketMs, counts: zeroCounts() })),
      };
      for (const r of bucketed.all(from, bucketMs, from, to)) {
        const bucket = out.buckets[r.b];
        if (!bucket) continue;
        bucket.counts[r.state_type] += r.n;
        out.totals[r.state_type] += r.n;
      }
      return out;
    },
    flows(): FlowSummary[] {
      const t = now();
      return flows.all(t).map((f) => ({
        name: f.name,
        runCount: f.runs,
        failureRate: f.terminal ? f.failed / f.terminal : 0,
        lastRunAt: f.last,
        lastRuns: lastRuns.all(f.name, t).map((r) => ({ id: r.id, name: r.name, state: rowState(r), startTime: r.start_time })),
      }));
    },
  };
}
