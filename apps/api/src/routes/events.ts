/** POST /api/events: the same batch the engine socket takes, for clients without a socket. */
import type { RouteRegistry } from '../http/registry.js';
import { eventBatchSchema } from '@flowlight/schema';
import type { RouteContext } from './context.js';

export function eventRoutes(r: RouteRegistry, { ingest }: RouteContext): void {
  r.add(
    {
      method: 'post',
      path: '/api/events',
      tag: 'engine',
      summary: 'Ingest a batch of engine events (JSON array, at most 5,000, body ≤ 5 MB)',
      body: eventBatchSchema,
      response: 'IngestResult',
    },
    (req, res) => {
      const out = ingest(req.body);
      if ('error' in out) res.status(out.serverFault ? 503 : 400).json({ error: out.error, issues: [{ path: 'body', message: out.error }] });
      else res.json(out);
    },
  );
}
