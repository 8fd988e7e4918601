/** Flow runs: query keys, query options and commands. Components use these, never fetch. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  BulkBody,
  BulkResponse,
  CommandResponse,
  FlowRunDetail,
  ListFlowRunsResponse,
  SetStateBody,
} from '@flowlight/schema';
import { api } from './client';
import { queryString, toListQuery, type RunsFilter } from '../lib/filters';

export const RUNS_PAGE_SIZE = 100;

export const flowRunKeys = {
  all: ['flow-runs'] as const,
  lists: () => [...flowRunKeys.all, 'list'] as const,
  list: (filter: RunsFilter, pageSize = RUNS_PAGE_SIZE) => [...flowRunKeys.lists(), filter, pageSize] as const,
  details: () => [...flowRunKeys.all, 'detail'] as const,
  detail: (id: string) => [...flowRunKeys.details(), id] as const,
};

export type FlowRunListKey = ReturnType<typeof flowRunKeys.list>;

export const fetchFlowRunsPage = (filter: RunsFilter, pageSize: number, cursor: string | null, signal?: AbortSignal) =>
  api<ListFlowRunsResponse>(
    `/flow-runs${queryString({ ...toListQuery(filter, Date.now()), limit: pageSize, cursor: cursor ?? undefined })}`,
    { signal },
  );

export const flowRunListOptions = (filter: RunsFilter, pageSize = RUNS_PAGE_SIZE) =>
  infiniteQueryOptions({
    queryKey: flowRunKeys.list(filter, pageSize),
    queryFn: ({ pageParam, signal }) => fetchFlowRunsPage(filter, pageSize, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const flowRunDetailOptions = (id: string) =>
  queryOptions({
    queryKey: flowRunKeys.detail(id),
    queryFn: ({ signal }) => api<FlowRunDetail>(`/flow-runs/${encodeURIComponent(id)}`, { signal }),
  });

export const RunCommand = { pause: 'pause', resume: 'resume', cancel: 'cancel', retry: 'retry' } as const;
export type RunCommand = (typeof RunCommand)[keyof typeof RunCommand];

export const flowRunCommands = {
  send: (id: string, command: RunCommand, reason?: string) =>
    api<CommandResponse>(`/flow-runs/${encodeURIComponent(id)}/${command}`, { method: 'POST', body: reason ? { reason } : {} }),
  setState: (id: string, body: SetStateBody) =>
    api<CommandResponse>(`/flow-runs/${encodeURIComponent(id)}/set-state`, { method: 'POST', body }),
  remove: (id: string) => api<unknown>(`/flow-runs/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  bulk: (action: 'cancel' | 'retry' | 'delete' | 'set-state', body: BulkBody) =>
    api<BulkResponse>(`/flow-runs/bulk/${action}`, { method: 'POST', body }),
};
