/** Counts by state over a time window, for the dashboard. */
import { queryOptions } from '@tanstack/react-query';
import type { StatsResponse } from '@flowlight/schema';
import { api } from './client';
import { queryString } from '../lib/filters';

export const STATS_WINDOWS = {
  '1h': { label: '1h', ms: 3_600_000, buckets: 30 },
  '24h': { label: '24h', ms: 86_400_000, buckets: 48 },
  '7d': { label: '7d', ms: 7 * 86_400_000, buckets: 56 },
  '30d': { label: '30d', ms: 30 * 86_400_000, buckets: 60 },
} as const satisfies Record<string, { label: string; ms: number; buckets: number }>;
export type StatsWindow = keyof typeof STATS_WINDOWS;

export const statsKeys = {
  all: ['stats'] as const,
  window: (w: StatsWindow) => [...statsKeys.all, w] as const,
};

export const statsOptions = (w: StatsWindow) =>
  queryOptions({
    queryKey: statsKeys.window(w),
    queryFn: ({ signal }) => {
      const { ms, buckets } = STATS_WINDOWS[w];
      const to = Date.now();
      return api<StatsResponse>(`/stats${queryString({ from: to - ms, to, buckets })}`, { signal });
    },
  });
