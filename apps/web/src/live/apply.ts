/**
 * Applies one (coalesced) DeltaBatch to the TanStack Query cache with setQueryData: lists are
 * patched in place or marked stale (never refetched here), details and task runs are upserted,
 * log tails grow. Only the things only the server knows (a new error, aggregate stats) are refetched,
 * and those at most once per interval.
 */
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { DeltaBatch, FlowRunDetail, ListFlowRunsResponse, ListLogsResponse, TaskRunDetail, TaskRunSummary } from '@flowlight/schema';
import { fetchFlowRunsPage, flowRunKeys, RUNS_PAGE_SIZE, type FlowRunListKey } from '../api/flow-runs';
import { taskRunKeys } from '../api/task-runs';
import { logKeys } from '../api/logs';
import { flowKeys } from '../api/flows';
import { statsKeys } from '../api/stats';
import { deploymentKeys } from '../api/deployments';
import type { RunsFilter } from '../lib/filters';
import { appendLogs, patchDetail, patchRunList, patchTaskDetail, patchTaskRuns, type LogScopeKey } from './patch';

type RunPages = InfiniteData<ListFlowRunsResponse, string | null>;
type LogPages = InfiniteData<ListLogsResponse, string | null>;

/** Marks one query stale without refetching it; it refreshes when next shown or on demand. */
const markStale = (qc: QueryClient, queryKey: QueryKey) =>
  void qc.invalidateQueries({ queryKey, exact: true, refetchType: 'none' });

/**
 * setQueryData that keeps a stale mark: a query marked stale (its room was left, or it could not
 * be patched exactly) stays stale when a delta patches it, so it still refetches when shown.
 */
function patch<T>(qc: QueryClient, queryKey: QueryKey, data: T, updatedAt?: number): void {
  const wasStale = qc.getQueryState(queryKey)?.isInvalidated ?? false;
  qc.setQueryData(queryKey, data, updatedAt !== undefined ? { updatedAt } : undefined);
  if (wasStale) markStale(qc, queryKey);
}

export interface ApplyOptions {
  now?: number;
  /** Called when aggregates (stats, flows) should be refreshed; throttled by the caller. */
  onAggregatesChanged?: () => void;
  /** Called when a shown list's per-state counts can no longer be kept exact by patching. */
  onCountsUnknown?: (queryKey: FlowRunListKey) => void;
  /** Called when a run of a deployment changed (its next/last runs moved); throttled by the caller. */
  onDeploymentRunsChanged?: () => void;
}

export function applyDelta(qc: QueryClient, batch: DeltaBatch, opts: ApplyOptions = {}): void {
  const now = opts.now ?? Date.now();
  const cache = qc.getQueryCache();

  if (batch.flowRuns.length || batch.deletedFlowRunIds.length) {
    for (const query of cache.findAll({ queryKey: flowRunKeys.lists() })) {
      const data = query.state.data as RunPages | undefined;
      if (!data) continue;
      const filter = query.queryKey[2] as RunsFilter;
      const res = patchRunList(data, batch.flowRuns, batch.deletedFlowRunIds, filter, {
        now,
        fetchedAt: query.state.dataUpdatedAt,
      });
      // Keep dataUpdatedAt honest: the list was fetched then, patched now.
      if (res.changed) patch(qc, query.queryKey, res.data, query.state.dataUpdatedAt);
      if (res.stale) markStale(qc, query.queryKey);
      if (res.countsUnknown && query.getObserversCount() > 0) opts.onCountsUnknown?.(query.queryKey as FlowRunListKey);
    }
    for (const run of batch.flowRuns) {
      const key = flowRunKeys.detail(run.id);
      const detail = qc.getQueryData<FlowRunDetail>(key);
      if (!detail) continue;
      const res = patchDetail(detail, run);
      if (res.data !== detail) patch(qc, key, res.data);
      if (res.refetch) void qc.invalidateQueries({ queryKey: key, exact: true });
    }
    for (const id of batch.deletedFlowRunIds) {
      qc.removeQueries({ queryKey: taskRunKeys.list(id), exact: true });
      const key = flowRunKeys.detail(id);
      if (qc.getQueryData(key)) void qc.invalidateQueries({ queryKey: key, exact: true });
    }
    opts.onAggregatesChanged?.();
    if (batch.flowRuns.some((r) => r.deploymentId !== null) || batch.deletedFlowRunIds.length) opts.onDeploymentRunsChanged?.();
  }

  if (batch.taskRuns.length) {
    const byRun = new Map<string, TaskRunSummary[]>();
    for (const t of batch.taskRuns) {
      const arr = byRun.get(t.flowRunId);
      if (arr) arr.push(t);
      else byRun.set(t.flowRunId, [t]);
    }
    for (const [flowRunId, updates] of byRun) {
      const key = taskRunKeys.list(flowRunId);
      const list = qc.getQueryData<TaskRunSummary[]>(key);
      if (list) patch(qc, key, patchTaskRuns(list, updates));
    }
    for (const t of batch.taskRuns) {
      const key = taskRunKeys.detail(t.id);
      const detail = qc.getQueryData<TaskRunDetail>(key);
      if (!detail) continue;
      const res = patchTaskDetail(detail, t);
      patch(qc, key, res.data);
      if (res.refetch) void qc.invalidateQueries({ queryKey: key, exact: true });
    }
  }

  if (batch.logs.length) {
    for (const query of cache.findAll({ queryKey: logKeys.lists() })) {
      const data = query.state.data as LogPages | undefined;
      if (!data) continue;
      const scope = query.queryKey[2] as LogScopeKey;
      const params = query.queryKey[3] as { minLevel?: number; q?: string };
      const next = appendLogs(data, batch.logs, scope, params);
      if (next !== data) patch(qc, query.queryKey, next, query.state.dataUpdatedAt);
    }
  }
}

/** Runs `refresh` at most once per interval, however often it is asked for. */
function throttled(refresh: () => void, intervalMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const run = () => {
    timer = null;
    last = Date.now();
    refresh();
  };
  return () => {
    if (timer) return;
    timer = setTimeout(run, Math.max(0, last + intervalMs - Date.now()));
  };
}

/** Throttled refresh of aggregates that no delta can patch exactly. */
export function aggregateRefresher(qc: QueryClient, intervalMs = 5000): () => void {
  return throttled(() => {
    void qc.invalidateQueries({ queryKey: statsKeys.all });
    void qc.invalidateQueries({ queryKey: flowKeys.all });
  }, intervalMs);
}

/** Throttled refresh of the deployments list (next and last runs) when runs of deployments change. */
export function deploymentsRefresher(qc: QueryClient, intervalMs = 1000): () => void {
  return throttled(() => void qc.invalidateQueries({ queryKey: deploymentKeys.all }), intervalMs);
}

/**
 * Refreshes only the per-state counts of a list (a one-row request), at most once per interval per
 * list, and writes them into the cached first page. The rows stay as patched.
 */
export function countsRefresher(qc: QueryClient, intervalMs = 1000): (key: FlowRunListKey) => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return (key) => {
    // Only the Runs page shows the chips; small dashboard lists do not need counts.
    if (key[3] !== RUNS_PAGE_SIZE) return;
    const hash = JSON.stringify(key);
    if (timers.has(hash)) return;
    timers.set(
      hash,
      setTimeout(() => {
        timers.delete(hash);
        fetchFlowRunsPage(key[2], 1, null).then(
          (res) => {
            const old = qc.getQueryData<RunPages>(key);
            const first = old?.pages[0];
            if (!old || !first) return;
            patch(qc, key, { ...old, pages: [{ ...first, counts: res.counts }, ...old.pages.slice(1)] });
          },
          () => undefined,
        );
      }, intervalMs),
    );
  };
}
