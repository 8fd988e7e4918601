/** Flows with their latest runs and failure rate. */
import { queryOptions } from '@tanstack/react-query';
import type { FlowSummary } from '@flowlight/schema';
import { api } from './client';

export const flowKeys = {
  all: ['flows'] as const,
  list: () => [...flowKeys.all, 'list'] as const,
};

export const flowListOptions = () =>
  queryOptions({
    queryKey: flowKeys.list(),
    queryFn: async ({ signal }) => {
      const body = await api<FlowSummary[] | { items: FlowSummary[] }>('/flows', { signal });
      return Array.isArray(body) ? body : body.items;
    },
  });
