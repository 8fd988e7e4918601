/** Bulk forms of the commands: a list of ids or a run-list filter (at most 10,000 runs). */
import { bulkBodySchema, type BulkBody, type BulkResponse } from '@flowlight/schema';
import { ApiDomainError, BadRequestError } from '../errors.js';
import type { RouteRegistry } from '../http/registry.js';
import { parse } from '../http/validate.js';
import type { CommandService } from '../services/commands.js';
import type { Store } from '../store/types.js';
import type { RouteContext } from './context.js';

const MAX_BULK = 10_000;
const CONCURRENCY = 32;

type One = (id: string, body: BulkBody) => Promise<{ message: string }> | { message: string };

const OPS = {
  cancel: { summary: 'Cancel many runs', run: (c: CommandService, id: string) => c.command(id, 'cancel') },
  retry: { summary: 'Retry many finished runs of deployments', run: (c: CommandService, id: string) => c.retry(id) },
  delete: { summary: 'Delete many runs', run: (c: CommandService, id: string) => c.remove(id) },
  'set-state': {
    summary: 'Force a terminal state on many runs (body.state)',
    run: (c: CommandService, id: string, b: BulkBody) => c.setState(id, b.state!),
  },
} as const;

function resolveIds(store: Store, body: BulkBody): string[] {
  const ids = body.ids ?? store.findFlowRunIds(body.filter ?? {}, MAX_BULK);
  return [...new Set(ids)];
}

async function runAll(ids: string[], one: One, body: BulkBody): Promise<BulkResponse> {
  const results: BulkResponse['results'] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i]!;
      try {
        const r = await one(id, body);
        results[i] = { id, ok: true, message: r.message };
      } catch (err) {
        if (!(err instanceof ApiDomainError)) throw err;
        results[i] = { id, ok: false, message: err.message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return { results };
}

export function bulkRoutes(r: RouteRegistry, { store, commands }: RouteContext): void {
  for (const [name, op] of Object.entries(OPS)) {
    r.add(
      { method: 'post', path: `/api/flow-runs/bulk/${name}`, tag: 'commands', summary: op.summary, body: bulkBodySchema, response: 'BulkResponse' },
      async (req, res) => {
        const body = parse(bulkBodySchema, req.body, 'body');
        if (name === 'set-state' && !body.state) {
          throw new BadRequestError('Invalid request body', [{ path: 'state', message: 'set-state needs a state' }]);
        }
        res.json(await runAll(resolveIds(store, body), (id, b) => op.run(commands, id, b), body));
      },
    );
  }
}
