/**
 * The run list: filters → one WHERE with bound parameters only, keyset pagination on
 * (sort key, id), and per-state-type counts for the same filter without the state filters.
 * Lists within one filter field are OR-ed (any of the tags, any of the flows); fields are AND-ed.
 */
import type Database from 'better-sqlite3';
import {
  STATE_TYPES,
  TYPE_OF_NAME,
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
/** `col = ?` for one value (SQLite stops a single-value IN from ending an ordered index read early). */
const inList = (col: string, n: number) => (n === 1 ? `${col} = ?` : `${col} IN (${placeholders(n)})`);
const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Above this many rows in a start range, another sort reads its own index instead of sorting the range. */
const RANGE_SORT_LIMIT = 5000;
/** At most this many per-value index reads are merged for one page. */
const MAX_SPLIT = 24;

/** State names imply their types: add them so the per-state indexes can serve a name filter. */
function narrowStates(q: ListFlowRunsQuery): ListFlowRunsQuery {
  if (!q.stateName?.length) return q;
  const implied = [...new Set(q.stateName.map((n) => TYPE_OF_NAME[n]))];
  const types = q.stateType?.length ? implied.filter((t) => q.stateType!.includes(t)) : implied;
  return { ...q, stateType: types.length ? types : q.stateType };
}

/**
 * Lists of states and flows become one equality query per value (or per pair), each an in-order
 * read of an index on (value, sort key, id), merged by the outer ORDER BY.
 */
function splitFilter(q: ListFlowRunsQuery): FilterQuery[] | null {
  const states: (StateType | undefined)[] = q.stateType?.length ? q.stateType : [undefined];
  const flows: (string | undefined)[] = q.flow?.length ? q.flow : [undefined];
  if (states.length * flows.length <= 1 || states.length * flows.length > MAX_SPLIT) return null;
  return states.flatMap((t) =>
    flows.map((f) => ({
      ...q,
      stateType: t === undefined ? undefined : [t],
      flow: f === undefined ? undefined : [f],
    })),
  );
}

export function buildWhere(
  f: FilterQuery,
  withState: boolean,
  rangeByScan = false,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (withState && f.stateType?.length) {
    // With a flow filter, the flow's (flow, sort key) index reads in order and tests the state on
    // each row; letting SQLite use the state column instead would sort every run of the flow.
    const col = f.flow?.length ? '+fr.state_type' : 'fr.state_type';
    where.push(inList(col, f.stateType.length));
    params.push(...f.stateType);
  }
  if (withState && f.stateName?.length) {
    where.push(inList('fr.state_name', f.stateName.length));
    params.push(...f.stateName);
  }
  if (f.flow?.length) {
    where.push(inList('fr.flow_name', f.flow.length));
    params.push(...f.flow);
  }
  if (f.tag?.length) {
    // A cheap test on the row's JSON tags first; the tag table then confirms exactly.
    where.push(`(${f.tag.map(() => 'instr(fr.tags, ?) > 0').join(' OR ')})`);
    params.push(...f.tag.map((t) => JSON.stringify(t)));
    where.push(
      `EXISTS (SELECT 1 FROM flow_run_tags t WHERE t.flow_run_id = fr.id AND ${inList('t.tag', f.tag.length)})`,
    );
    params.push(...f.tag);
  }
  // A unary + keeps SQLite from using the start index for the range (see rangeByScan).
  const start = rangeByScan ? '+fr.start_key' : 'fr.start_key';
  if (f.startAfter !== undefined) {
    where.push(`${start} >= ?`);
    params.push(f.startAfter);
  }
  if (f.startBefore !== undefined) {
    where.push(`${start} < ?`);
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

/** How long chip counts of an expensive filter may be reused while writes go on. */
export const COUNT_TTL_MS = 1000;

/** The filter without its state parts and without empty fields. */
function stripState(f: FilterQuery): FilterQuery {
  const { stateType: _t, stateName: _n, sort: _s, cursor: _c, limit: _l, ...rest } = f;
  return Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''),
  ) as FilterQuery;
}

/** True when the filter is a start range and nothing else. */
function onlyRange(f: FilterQuery): boolean {
  const rest = stripState(f);
  const keys = Object.keys(rest);
  return (
    keys.length > 0 &&
    keys.every((k) => k === 'startAfter' || k === 'startBefore') &&
    !f.stateType?.length &&
    !f.stateName?.length
  );
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
  const rangeRows = db.prepare<[number, number], { n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM flow_runs WHERE start_key >= ? AND start_key < ? LIMIT ${RANGE_SORT_LIMIT})`,
  );
  const globalCounts = db.prepare<[], { state_type: StateType; n: number }>(
    'SELECT state_type, n FROM flow_run_counts',
  );

  const totalChanges = db.prepare<[], { n: number }>('SELECT total_changes() AS n');
  const countCache = new Map<string, { at: number; version: number; counts: Record<StateType, number> }>();

  /**
   * Chip counts. No filter or flows only: the trigger-kept tables. Anything else
   * scans the matching rows, so its result is reused while nothing was written, or for up to
   * COUNT_TTL_MS while writes go on (chip counts may lag a busy ingest by that much).
   */
  function counts(f: FilterQuery): Record<StateType, number> {
    const out = Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Record<StateType, number>;
    const { where, params } = buildWhere(f, false);
    const cheap = !where.length || Object.keys(stripState(f)).every((k) => k === 'flow');
    const key = JSON.stringify([where, params]);
    const version = totalChanges.get()!.n;
    const now = Date.now();
    const hit = cheap ? undefined : countCache.get(key);
    if (hit && (hit.version === version || now - hit.at < COUNT_TTL_MS)) return { ...hit.counts };
    const flowsOnly = where.length > 0 && cheap && f.flow?.length;
    const rows = flowsOnly
      ? (stmt(
          `SELECT state_type, sum(n) AS n FROM flow_run_flow_counts WHERE flow_name IN (${placeholders(f.flow!.length)}) GROUP BY state_type`,
        ).all(...f.flow!) as { state_type: StateType; n: number }[])
      : where.length
        ? (stmt(
            `SELECT fr.state_type, count(*) AS n FROM flow_runs fr ${whereSql(where)} GROUP BY fr.state_type`,
          ).all(...params) as { state_type: StateType; n: number }[])
        : globalCounts.all();
    for (const r of rows) if (r.state_type in out) out[r.state_type] = Math.max(0, r.n);
    if (!cheap) {
      if (countCache.size >= 200) countCache.clear();
      countCache.set(key, { at: now, version, counts: { ...out } });
    }
    return out;
  }

  return {
    list(q: ListFlowRunsQuery): ListFlowRunsResponse {
      const sort = SORTS[q.sort];
      const cursor = q.cursor ? decodeCursor(q.cursor, sort.keyType, 'string') : null;
      const order = `ORDER BY fr.${sort.col} ${sort.dir}, fr.id ${sort.dir} LIMIT ?`;
      // A wide start range with a sort independent of start (duration, name): read the sort index
      // in order and test the range on each row, instead of sorting every row of the range. (Not
      // for end time: it follows start time, so its index would reach the range only late.)
      const wideRange =
        (sort.col === 'duration_key' || sort.col === 'name') &&
        (q.startAfter !== undefined || q.startBefore !== undefined) &&
        rangeRows.get(q.startAfter ?? 0, q.startBefore ?? Number.MAX_SAFE_INTEGER)!.n >= RANGE_SORT_LIMIT;
      const page = (f: FilterQuery) => {
        const { where, params } = buildWhere(f, true, wideRange);
        if (cursor) {
          where.push(`(fr.${sort.col}, fr.id) ${sort.dir === 'DESC' ? '<' : '>'} (?, ?)`);
          params.push(...cursor);
        }
        params.push(q.limit + 1);
        if (sort.col === 'end_key' && onlyRange(f)) {
          // Sort the range's (end, id) keys from the covering index, then read just one page.
          const keys = `SELECT fr.id FROM flow_runs fr INDEXED BY flow_runs_start_end ${whereSql(where)} ${order}`;
          return {
            sql: `SELECT * FROM flow_runs fr WHERE fr.id IN (${keys}) ${order}`,
            params: [...params, q.limit + 1],
          };
        }
        return { sql: `SELECT * FROM flow_runs fr ${whereSql(where)} ${order}`, params };
      };
      // A state name filter reads its type's indexes (the Scheduled runs by end time were a scan
      // of the whole end-time index). Several states (or flows): one in-order index read per
      // value, merged, instead of sorting every matching row.
      const nq = narrowStates(q);
      const split = splitFilter(nq);
      let sql: string;
      const params: unknown[] = [];
      if (split) {
        const parts = split.map((f) => {
          const p = page(f);
          params.push(...p.params);
          return `SELECT * FROM (${p.sql})`;
        });
        sql = `SELECT * FROM (${parts.join(' UNION ALL ')}) fr ${order}`;
        params.push(q.limit + 1);
      } else {
        const p = page(nq);
        params.push(...p.params);
        sql = p.sql;
      }
      const rows = stmt(sql).all(...params) as Row[];
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
