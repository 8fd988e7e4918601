/** Flows (named by their runs), dashboard stats and health. */
import { z } from 'zod';
import { statsQuerySchema } from '@flowlight/schema';
import { BadRequestError } from '../errors.js';
import type { RouteRegistry } from '../http/registry.js';
import { parse } from '../http/validate.js';
import type { RouteContext } from './context.js';

const DAY = 24 * 60 * 60 * 1000;

export function flowRoutes(r: RouteRegistry, { store, now, startedAt }: RouteContext): void {
  r.add({ method: 'get', path: '/api/flows', tag: 'flows', summary: 'Flows with run counts, failure rate and last runs', response: 'FlowSummary[]' }, (_req, res) => {
    res.json(store.listFlows());
  });
  r.add(
    {
      method: 'get',
      path: '/api/stats',
      tag: 'flows',
      summary: 'Runs per state type over a time window (default the last 24 h), in buckets',
      query: statsQuerySchema,
      response: 'StatsResponse',
    },
    (req, res) => {
      const q = parse(statsQuerySchema, req.query, 'query');
      const to = q.to ?? now();
      const from = q.from ?? to - DAY;
      if (from >= to) throw new BadRequestError('Invalid request query', [{ path: 'from', message: 'from must be before to' }]);
      res.json(store.stats(from, to, q.buckets));
    },
  );
  r.add(
    { method: 'get', path: '/api/health', tag: 'meta', summary: 'Liveness and row counts', response: 'Health', query: z.object({}) },
    (_req, res) => {
      res.json({ ok: true, uptimeMs: now() - startedAt, ...store.counts() });
    },
  );
}
