/** Deployments: query keys, query options and commands (start a run, schedule on/off). */
import { queryOptions } from '@tanstack/react-query';
import type { CreateDeploymentRunBody, Deployment, FlowRunSummary } from '@flowlight/schema';
import { api } from './client';

export const deploymentKeys = {
  all: ['deployments'] as const,
  list: () => [...deploymentKeys.all, 'list'] as const,
};

export const deploymentListOptions = () =>
  queryOptions({
    queryKey: deploymentKeys.list(),
    queryFn: ({ signal }) => api<Deployment[]>('/deployments', { signal }),
    // Next/last runs follow live deltas of deployment runs (live/apply.ts); a slow poll still
    // picks up runs the scheduler creates ahead, which no delta of the runs room shows yet.
    refetchInterval: 30_000,
  });

export const deploymentOptions = (id: string) =>
  queryOptions({
    queryKey: [...deploymentKeys.all, 'detail', id] as const,
    queryFn: ({ signal }) => api<Deployment>(`/deployments/${encodeURIComponent(id)}`, { signal }),
  });

export const deploymentCommands = {
  run: (id: string, body: CreateDeploymentRunBody) =>
    api<FlowRunSummary>(`/deployments/${encodeURIComponent(id)}/run`, { method: 'POST', body }),
  setPaused: (id: string, paused: boolean) =>
    api<Deployment>(`/deployments/${encodeURIComponent(id)}`, { method: 'PATCH', body: { paused } }),
};
