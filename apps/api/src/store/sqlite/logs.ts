/** Log lines with an FTS5 index over messages; keyset pagination both ways by (ts, rowid). */
import type Database from 'better-sqlite3';
import type { ListLogsQuery, ListLogsResponse, LogLine } from '@flowlight/schema';
import type { LogScope } from '../types.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { toFtsQuery } from './fts.js';
import { flowScopeToken, taskScopeToken } from './hash.js';
import { toLogLine, type LogRow } from './rows.js';

/** Most lines a text download holds. */
export const MAX_DOWNLOAD_LINES = 1_000_000;

export function logsRepo(db: Database.Database) {
  const insert = db.prepare<[string, string, string | null, number, string, number]>(
    'INSERT OR IGNORE INTO logs (id, flow_run_id, task_run_id, level, message, ts) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertFts = db.prepare<[number | bigint, string, string]>(
    'INSERT INTO logs_fts (rowid, message, scope) VALUES (?, ?, ?)',
  );
  const rowidsByFlow = db.prepare<[string], { rowid: number }>('SELECT rowid FROM logs WHERE flow_run_id = ?');
  const deleteFts = db.prepare<[number]>('DELETE FROM logs_fts WHERE rowid = ?');
  const deleteByFlow = db.prepare<[string]>('DELETE FROM logs WHERE flow_run_id = ?');
  const stmtCache = new Map<string, Database.Statement>();
  const cached = (sql: string) => {
    let s = stmtCache.get(sql);
    if (!s) stmtCache.set(sql, (s = db.prepare(sql)));
    return s;
  };

  function buildQuery(scope: LogScope, q: Pick<ListLogsQuery, 'minLevel' | 'q'>) {
    const where: string[] = [];
    const params: unknown[] = [];
    if ('flowRunId' in scope) {
      where.push('l.flow_run_id = ?');
      params.push(scope.flowRunId);
    } else {
      where.push('l.task_run_id = ?');
      params.push(scope.taskRunId);
    }
    if (q.minLevel !== undefined) {
      where.push('l.level >= ?');
      params.push(q.minLevel);
    }
    const fts = q.q ? toFtsQuery(q.q) : null;
    if (q.q && fts === null) where.push('0'); // text with nothing searchable matches nothing
    if (fts) {
      const token = 'flowRunId' in scope ? flowScopeToken(scope.flowRunId) : taskScopeToken(scope.taskRunId);
      where.push('l.rowid IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)');
      params.push(`scope : ${token} AND message : (${fts})`);
    }
    return { where, params };
  }

  return {
    /** Returns the stored line, or null when its id was already stored. */
    insert(id: string, flowRunId: string, taskRunId: string | null, level: number, message: string, ts: number): LogLine | null {
      const info = insert.run(id, flowRunId, taskRunId, level, message, ts);
      if (info.changes === 0) return null;
      const scope = taskRunId ? `${flowScopeToken(flowRunId)} ${taskScopeToken(taskRunId)}` : flowScopeToken(flowRunId);
      insertFts.run(info.lastInsertRowid, message, scope);
      return { id, flowRunId, taskRunId, level, message, timestamp: ts };
    },
    removeByFlow(flowRunId: string) {
      for (const r of rowidsByFlow.all(flowRunId)) deleteFts.run(r.rowid);
      deleteByFlow.run(flowRunId);
    },
    list(scope: LogScope, q: ListLogsQuery): ListLogsResponse {
      const { where, params } = buildQuery(scope, q);
      const backward = q.direction === 'backward';
      if (q.cursor) {
        const [ts, rowid] = decodeCursor(q.cursor, 'number', 'number');
        where.push(backward ? '(l.ts, l.rowid) < (?, ?)' : '(l.ts, l.rowid) > (?, ?)');
        params.push(ts, rowid);
      }
      const dir = backward ? 'DESC' : 'ASC';
      const sql = `SELECT l.rowid AS rowid, l.* FROM logs l WHERE ${where.join(' AND ')} ORDER BY l.ts ${dir}, l.rowid ${dir} LIMIT ?`;
      const rows = cached(sql).all(...params, q.limit + 1) as LogRow[];
      const hasMore = rows.length > q.limit;
      if (hasMore) rows.pop();
      if (backward) rows.reverse();
      const key = (r: LogRow) => encodeCursor([r.ts, r.rowid]);
      const first = rows[0];
      const last = rows[rows.length - 1];
      const moreAfter = backward ? q.cursor !== undefined : hasMore;
      const moreBefore = backward ? hasMore : q.cursor !== undefined;
      return {
        items: rows.map(toLogLine),
        nextCursor: last && moreAfter ? key(last) : null,
        prevCursor: first && moreBefore ? key(first) : null,
      };
    },
    /** Every matching line in time order, for a text download. */
    *iterate(scope: LogScope, q: Pick<ListLogsQuery, 'minLevel' | 'q'>): Generator<LogLine> {
      const { where, params } = buildQuery(scope, q);
      const sql = `SELECT l.rowid AS rowid, l.* FROM logs l WHERE ${where.join(' AND ')} ORDER BY l.ts, l.rowid LIMIT ${MAX_DOWNLOAD_LINES}`;
      for (const r of cached(sql).iterate(...params) as IterableIterator<LogRow>) yield toLogLine(r);
    },
  };
}
export type LogsRepo = ReturnType<typeof logsRepo>;
