/**
 * The run list: filters → one WHERE with bound parameters only, keyset pagination on
 * (sort key, id), and per-state-type counts for the same filter without the state filters.
 * Lists within one filter field are OR-ed (any of the tags, any of the flows); fields are AND-ed.
 */
import type Database from 'better-sqlite3';
import {
  STATE_TYPES,
  type FlowRunSort,
  type ListFlowRunsQuery,
  type ListFlowRunsResponse,
  type StateType,
} from '@flowlight/schema';
import type { FilterQuery } from '../types.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { toFlowRunSummary, type FlowRunRow } from './rows.js';

const SORTS = {
  start_desc: { col: 'start_key', dir: 'DESC', keyType: 'number' },
  start_asc: { col: 'start_key', dir: 'ASC', keyType: 'number' },
  end_desc: { col: 'end_key', dir: 'DESC', keyType: 'number' },
  end_asc: { col: 'end_key', dir: 'ASC', keyType: 'number' },
  duration_desc: { col: 'duration_key', dir: 'DESC', keyType: 'number' },
  duration_asc: { col: 'duration_key', dir: 'ASC', keyType: 'number' },
  name_asc: { col: 'name', dir: 'ASC', keyType: 'string' },
  name_desc: { col: 'name', dir: 'DESC', keyType: 'string' },
} as const satisfies Record<FlowRunSort, { col: string; dir: 'ASC' | 'DESC'; keyType: 'number' | 'string' }>;

type Row = FlowRunRow & { start_key: number; end_key: number; duration_key: number };

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function buildWhere(f: FilterQuery, withState: boolean): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (withState && f.stateType?.length) {
    where.push(`fr.state_type IN (${placeholders(f.stateType.length)})`);
    params.push(...f.stateType);
  }
  if (withState && f.stateName?.length) {
    where.push(`fr.state_name IN (${placeholders(f.stateName.length)})`);
    params.push(...f.stateName);
  }
  if (f.flow?.length) {
    where.push(`fr.flow_name IN (${placeholders(f.flow.length)})`);
    params.push(...f.flow);
  }
  if (f.tag?.length) {
    where.push(
      `EXISTS (SELECT 1 FROM flow_run_tags t WHERE t.flow_run_id = fr.id AND t.tag IN (${placeholders(f.tag.length)}))`,
    );
    params.push(...f.tag);
  }
  if (f.startAfter !== undefined) {
    where.push('fr.start_key >= ?');
    params.push(f.startAfter);
  }
  if (f.startBefore !== undefined) {
    where.push('fr.start_key < ?');
    params.push(f.startBefore);
  }
  if (f.parentFlowRunId !== undefined) {
    where.push('fr.parent_flow_run_id = ?');
    params.push(f.parentFlowRunId);
  }
  const q = f.q?.trim();
  if (q) {
    const like = likeEscape(q);
    where.push(
      `(fr.id = ? OR fr.name LIKE ? ESCAPE '\\' OR (fr.parameters IS NOT NULL AND json_extract(fr.parameters, '$.text') LIKE ? ESCAPE '\\'))`,
    );
    params.push(q, like, like);
  }
  return { where, params };
}

const whereSql = (w: string[]) => (w.length ? `WHERE ${w.join(' AND ')}` : '');

export function flowRunQuery(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      if (cache.size > 500) cache.clear();
      cache.set(sql, (s = db.prepare(sql)));
    }
    return s;
  };
  const globalCounts = db.prepare<[], { state_type: StateType; n: number }>('SELECT state_type, n FROM flow_run_counts');

  function counts(f: FilterQuery): Record<StateType, number> {
    const out = Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Record<StateType, number>;
    const { where, params } = buildWhere(f, false);
    const rows = where.length
      ? (stmt(`SELECT fr.state_type, count(*) AS n FROM flow_runs fr ${whereSql(where)} GROUP BY fr.state_type`).all(
          ...params,
        ) as { state_type: StateType; n: number }[])
      : globalCounts.all();
    for (const r of rows) if (r.state_type in out) out[r.state_type] = Math.max(0, r.n);
    return out;
  }

  return {
    list(q: ListFlowRunsQuery): ListFlowRunsResponse {
      const sort = SORTS[q.sort];
      const { where, params } = buildWhere(q, true);
      if (q.cursor) {
        const [key, id] = decodeCursor(q.cursor, sort.keyType, 'string');
        where.push(`(fr.${sort.col}, fr.id) ${sort.dir === 'DESC' ? '<' : '>'} (?, ?)`);
        params.push(key, id);
      }
      const sql = `SELECT * FROM flow_runs fr ${whereSql(where)} ORDER BY fr.${sort.col} ${sort.dir}, fr.id ${sort.dir} LIMIT ?`;
      const rows = stmt(sql).all(...params, q.limit + 1) as Row[];
      const hasMore = rows.length > q.limit;
      if (hasMore) rows.pop();
      const last = rows[rows.length - 1];
      return {
        items: rows.map(toFlowRunSummary),
        nextCursor: hasMore && last ? encodeCursor([last[sort.col], last.id]) : null,
        counts: counts(q),
      };
    },
    findIds(f: FilterQuery, max: number): string[] {
      const { where, params } = buildWhere(f, true);
      const sql = `SELECT fr.id FROM flow_runs fr ${whereSql(where)} ORDER BY fr.start_key DESC, fr.id DESC LIMIT ?`;
      return (stmt(sql).all(...params, max) as { id: string }[]).map((r) => r.id);
    },
  };
}
