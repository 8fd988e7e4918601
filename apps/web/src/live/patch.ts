/**
 * Pure functions that fold a DeltaBatch into cached query data. No React, no sockets: the cache
 * adapter (./apply.ts) finds the cached queries and calls these; tests call them directly.
 */
import type { InfiniteData } from '@tanstack/react-query';
import {
  isTerminalType,
  type DeltaBatch,
  type FlowRunDetail,
  type FlowRunSummary,
  type ListFlowRunsResponse,
  type ListLogsResponse,
  type LogLine,
  type StateType,
  type TaskRunDetail,
  type TaskRunSummary,
} from '@flowlight/schema';
import { matchRun, type RunsFilter } from '../lib/filters';
import { matchesSearch } from '../lib/highlight';

/** Several batches as one: the latest version of each run, every log line once. */
export function mergeBatches(batches: readonly DeltaBatch[]): DeltaBatch {
  if (batches.length === 1 && batches[0]) return batches[0];
  const runs = new Map<string, FlowRunSummary>();
  const tasks = new Map<string, TaskRunSummary>();
  const logs = new Map<string, LogLine>();
  const deleted = new Set<string>();
  let cursor = 0;
  for (const b of batches) {
    cursor = Math.max(cursor, b.cursor);
    for (const r of b.flowRuns) {
      const prev = runs.get(r.id);
      if (!prev || prev.updatedAt <= r.updatedAt) runs.set(r.id, r);
    }
    for (const t of b.taskRuns) {
      const prev = tasks.get(t.id);
      if (!prev || prev.state.timestamp <= t.state.timestamp) tasks.set(t.id, t);
    }
    for (const l of b.logs) logs.set(l.id, l);
    for (const id of b.deletedFlowRunIds) deleted.add(id);
  }
  for (const id of deleted) runs.delete(id);
  return {
    cursor,
    flowRuns: [...runs.values()],
    taskRuns: [...tasks.values()],
    logs: [...logs.values()],
    deletedFlowRunIds: [...deleted],
  };
}

/** Sort key for start-time order, the same fallbacks the list shows. */
export const startKey = (r: FlowRunSummary): number => r.startTime ?? r.expectedStartTime ?? r.createdAt;

export interface ListPatch {
  data: InfiniteData<ListFlowRunsResponse, string | null>;
  /** A run that belongs in the list could not be placed: mark the list stale (no refetch now). */
  stale: boolean;
  /** A run outside the loaded rows changed state: the per-state counts need a cheap refresh. */
  countsUnknown: boolean;
  changed: boolean;
}

/**
 * Updates rows of loaded pages in place, drops rows that left the filter or were deleted, inserts
 * runs that newly match where they belong (start-time-descending lists only), and keeps the
 * per-state counts (which ignore the state filter) in step.
 */
export function patchRunList(
  data: InfiniteData<ListFlowRunsResponse, string | null>,
  runs: readonly FlowRunSummary[],
  deletedIds: readonly string[],
  filter: RunsFilter,
  ctx: { now: number; fetchedAt: number },
): ListPatch {
  if (!runs.length && !deletedIds.length) return { data, stale: false, countsUnknown: false, changed: false };
  const pages = data.pages.map((p) => ({ ...p, items: p.items.slice(), counts: { ...p.counts } }));
  const where = new Map<string, { page: number; row: number }>();
  pages.forEach((p, pi) => p.items.forEach((r, ri) => where.set(r.id, { page: pi, row: ri })));
  const counts = pages[0]?.counts;
  const bump = (type: StateType, by: number) => {
    if (counts) counts[type] = Math.max(0, (counts[type] ?? 0) + by);
  };
  let stale = false;
  let countsUnknown = false;
  let changed = false;
  const removed = new Set<string>();
  const inserts: FlowRunSummary[] = [];

  for (const id of deletedIds) {
    const at = where.get(id);
    if (at) {
      const row = pages[at.page]?.items[at.row];
      if (row) bump(row.state.type, -1);
      removed.add(id);
      changed = true;
    } else countsUnknown = true;
  }

  for (const run of runs) {
    const at = where.get(run.id);
    const inScope = matchRun(run, filter, ctx.now, { ignoreState: true });
    const match = matchRun(run, filter, ctx.now);
    if (at) {
      const page = pages[at.page];
      const old = page?.items[at.row];
      if (!page || !old) continue;
      if (old.updatedAt > run.updatedAt) continue; // an older echo
      if (old.state.type !== run.state.type) {
        bump(old.state.type, -1);
        if (inScope !== 'no-match') bump(run.state.type, +1);
      }
      changed = true;
      if (match === 'no-match') removed.add(run.id);
      else page.items[at.row] = run;
      if (match === 'unknown') stale = true;
      continue;
    }
    const isNew = run.createdAt >= ctx.fetchedAt;
    if (inScope === 'match' && isNew) {
      bump(run.state.type, +1);
      changed = true;
    } else if (inScope !== 'no-match') countsUnknown = true;
    if (match === 'no-match') continue;
    if (match === 'unknown' || filter.sort !== 'start_desc') {
      stale = true;
      continue;
    }
    inserts.push(run);
  }

  if (removed.size) for (const p of pages) p.items = p.items.filter((r) => !removed.has(r.id));

  if (inserts.length) {
    inserts.sort((a, b) => startKey(b) - startKey(a));
    const hasMore = (pages.at(-1)?.nextCursor ?? null) !== null;
    for (const run of inserts) {
      const key = startKey(run);
      let placed = false;
      for (const p of pages) {
        const idx = p.items.findIndex((r) => startKey(r) < key);
        if (idx >= 0) {
          p.items.splice(idx, 0, run);
          placed = true;
          break;
        }
      }
      if (!placed) {
        const last = pages.at(-1);
        // Beyond what is loaded: the next page (keyset cursor) brings it.
        if (hasMore || !last) continue;
        last.items.push(run);
      }
      changed = true;
    }
  }

  if (!changed) return { data, stale, countsUnknown, changed };
  return { data: { ...data, pages }, stale, countsUnknown, changed };
}

/** A run's live summary folded into its cached detail. `refetch` when only the server has the rest (error, result). */
export function patchDetail(detail: FlowRunDetail, run: FlowRunSummary): { data: FlowRunDetail; refetch: boolean } {
  if (run.updatedAt < detail.updatedAt) return { data: detail, refetch: false };
  const last = detail.states.at(-1);
  const newState = !last || last.timestamp !== run.state.timestamp || last.name !== run.state.name;
  const states = newState ? [...detail.states, run.state] : detail.states;
  const becameTerminal = newState && isTerminalType(run.state.type);
  // A retry re-runs a terminal run: the old error and result no longer describe it.
  const leftTerminal = newState && last !== undefined && isTerminalType(last.type) && !isTerminalType(run.state.type);
  return {
    data: { ...detail, ...run, states, ...(leftTerminal ? { error: null, result: null } : {}) },
    refetch: becameTerminal,
  };
}

/** Upserts task runs into a flow run's list, keeping order of first appearance. */
export function patchTaskRuns(list: readonly TaskRunSummary[], updates: readonly TaskRunSummary[]): TaskRunSummary[] {
  if (!updates.length) return list as TaskRunSummary[];
  const next = list.slice();
  const index = new Map<string, number>();
  next.forEach((t, i) => index.set(t.id, i));
  for (const t of updates) {
    const i = index.get(t.id);
    if (i === undefined) {
      index.set(t.id, next.length);
      next.push(t);
    } else {
      const prev = next[i];
      if (prev && prev.state.timestamp > t.state.timestamp) continue;
      next[i] = t;
    }
  }
  return next;
}

export function patchTaskDetail(detail: TaskRunDetail, t: TaskRunSummary): { data: TaskRunDetail; refetch: boolean } {
  if (detail.state.timestamp > t.state.timestamp) return { data: detail, refetch: false };
  const last = detail.states.at(-1);
  const newState = !last || last.timestamp !== t.state.timestamp || last.name !== t.state.name;
  return {
    data: { ...detail, ...t, states: newState ? [...detail.states, t.state] : detail.states },
    refetch: newState && isTerminalType(t.state.type),
  };
}

export interface LogScopeKey {
  flowRunId?: string;
  taskRunId?: string;
}

/**
 * Appends live lines to a fully loaded log list (tail). When more pages are still to load, the
 * server will hand the lines over with them, so nothing is appended.
 */
export function appendLogs(
  data: InfiniteData<ListLogsResponse, string | null>,
  lines: readonly LogLine[],
  scope: LogScopeKey,
  params: { minLevel?: number | undefined; q?: string | undefined },
): InfiniteData<ListLogsResponse, string | null> {
  const lastPage = data.pages.at(-1);
  if (!lastPage || lastPage.nextCursor !== null || !lines.length) return data;
  const fits = lines.filter(
    (l) =>
      (scope.taskRunId !== undefined ? l.taskRunId === scope.taskRunId : l.flowRunId === scope.flowRunId) &&
      (params.minLevel === undefined || l.level >= params.minLevel) &&
      matchesSearch(l.message, params.q),
  );
  if (!fits.length) return data;
  const seen = new Set(lastPage.items.slice(-2000).map((l) => l.id));
  const fresh = fits.filter((l) => !seen.has(l.id)).sort((a, b) => a.timestamp - b.timestamp);
  if (!fresh.length) return data;
  const pages = data.pages.slice();
  pages[pages.length - 1] = { ...lastPage, items: [...lastPage.items, ...fresh] };
  return { ...data, pages };
}
