/** Log lines of a flow run or one task run, paged forward with the API's cursor. */
import { infiniteQueryOptions } from '@tanstack/react-query';
import type { ListLogsResponse } from '@flowlight/schema';
import { api, apiBase } from './client';
import { queryString } from '../lib/filters';

export type LogScope = { flowRunId: string; taskRunId?: undefined } | { taskRunId: string; flowRunId?: string };

export interface LogParams {
  minLevel?: number | undefined;
  q?: string | undefined;
}

export const LOGS_PAGE_SIZE = 1000;

const scopePath = (scope: LogScope) =>
  scope.taskRunId !== undefined
    ? `/task-runs/${encodeURIComponent(scope.taskRunId)}/logs`
    : `/flow-runs/${encodeURIComponent(scope.flowRunId)}/logs`;

export const logKeys = {
  all: ['logs'] as const,
  lists: () => [...logKeys.all, 'list'] as const,
  list: (scope: LogScope, params: LogParams) =>
    [...logKeys.lists(), scope.taskRunId !== undefined ? { taskRunId: scope.taskRunId } : { flowRunId: scope.flowRunId }, params] as const,
};

export const logListOptions = (scope: LogScope, params: LogParams) =>
  infiniteQueryOptions({
    queryKey: logKeys.list(scope, params),
    queryFn: ({ pageParam, signal }) =>
      api<ListLogsResponse>(
        `${scopePath(scope)}${queryString({ minLevel: params.minLevel, q: params.q, cursor: pageParam ?? undefined, limit: LOGS_PAGE_SIZE, direction: 'forward' })}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** A link that downloads the logs as text (same filters). */
export const logDownloadUrl = (scope: LogScope, params: LogParams) =>
  `${apiBase}${scopePath(scope)}${queryString({ minLevel: params.minLevel, q: params.q, format: 'text', limit: 5000 })}`;
