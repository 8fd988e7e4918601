/** What route modules receive from the composition root. */
import type { Logger } from '../logger.js';
import type { CommandService } from '../services/commands.js';
import type { IngestService } from '../services/ingest.js';
import type { Store } from '../store/types.js';
import { NotFoundError } from '../errors.js';

export interface RouteContext {
  store: Store;
  commands: CommandService;
  ingest: IngestService;
  logger: Logger;
  now: () => number;
  startedAt: number;
}

/** A route id: anything longer than an id can be is simply not found. */
export function idParam(v: unknown, resource: string): string {
  const id = typeof v === 'string' ? v : '';
  if (!id || id.length > 128) throw new NotFoundError(resource, id.slice(0, 128));
  return id;
}
