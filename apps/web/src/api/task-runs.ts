/** Task runs of a flow run, and one task run's detail. */
import { queryOptions } from '@tanstack/react-query';
import type { TaskRunDetail, TaskRunSummary } from '@flowlight/schema';
import { api } from './client';

export const taskRunKeys = {
  all: ['task-runs'] as const,
  lists: () => [...taskRunKeys.all, 'list'] as const,
  list: (flowRunId: string) => [...taskRunKeys.lists(), flowRunId] as const,
  details: () => [...taskRunKeys.all, 'detail'] as const,
  detail: (id: string) => [...taskRunKeys.details(), id] as const,
};

export const taskRunListOptions = (flowRunId: string) =>
  queryOptions({
    queryKey: taskRunKeys.list(flowRunId),
    queryFn: async ({ signal }) => {
      const body = await api<TaskRunSummary[] | { items: TaskRunSummary[] }>(
        `/flow-runs/${encodeURIComponent(flowRunId)}/task-runs`,
        { signal },
      );
      return Array.isArray(body) ? body : body.items;
    },
  });

export const taskRunDetailOptions = (id: string) =>
  queryOptions({
    queryKey: taskRunKeys.detail(id),
    queryFn: ({ signal }) => api<TaskRunDetail>(`/task-runs/${encodeURIComponent(id)}`, { signal }),
  });
