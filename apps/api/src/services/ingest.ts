/**
 * The one ingest path shared by the engine socket and POST /api/events: a batch is an array of
 * events, or its JSON bytes, or a list of JSON byte chunks each holding an array of events (what
 * the engine's socket sends). Never throws.
 */
import { eventBatchSchema, MAX_EVENTS_PER_BATCH, type IngestResult } from '@flowlight/schema';
import type { DeltaHub } from '../live/deltaHub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';

/** `serverFault` marks a failure of the server (retry), not of the batch. */
export type IngestReply = IngestResult | { error: string; serverFault?: true };

export function createIngestService(store: Store, hub: DeltaHub, logger: Logger) {
  return function ingestBatch(batch: unknown): IngestReply {
    const data = batch instanceof Uint8Array ? parseBytes(batch) : isChunkList(batch) ? parseChunks(batch) : batch;
    if (data === NOT_JSON) return { error: 'a batch must be a JSON array of events; these bytes are not JSON or not an array' };
    const parsed = eventBatchSchema.safeParse(data);
    if (!parsed.success) {
      return {
        error: Array.isArray(data)
          ? `a batch holds at most ${MAX_EVENTS_PER_BATCH} events, got ${data.length}`
          : 'a batch must be a JSON array of events',
      };
    }
    let outcome;
    try {
      outcome = store.ingest(parsed.data);
    } catch (err) {
      logger.error('storing an event batch failed; nothing of it was stored', { err });
      return { error: 'the server could not store the batch; retry later', serverFault: true };
    }
    const { result, rejectedDetails, changes } = outcome;
    if (rejectedDetails.length) {
      for (const r of rejectedDetails.slice(0, 5)) logger.warn('event rejected', r);
      if (rejectedDetails.length > 5) logger.warn(`${rejectedDetails.length - 5} more events rejected in the same batch`);
    }
    hub.publish(changes);
    return result;
  };
}
export type IngestService = ReturnType<typeof createIngestService>;

const NOT_JSON = Symbol('not JSON');

/** Whether a socket batch came as JSON bytes (its events count once parsed). */
export const isEncodedBatch = (batch: unknown): boolean => batch instanceof Uint8Array || isChunkList(batch);

const isChunkList = (batch: unknown): batch is Uint8Array[] =>
  Array.isArray(batch) && batch.length > 0 && batch.every((c) => c instanceof Uint8Array);

function parseChunks(chunks: Uint8Array[]): unknown {
  const events: unknown[] = [];
  for (const c of chunks) {
    const part = parseBytes(c);
    if (!Array.isArray(part)) return NOT_JSON;
    for (const e of part) events.push(e); // more than a batch holds is refused by its length
  }
  return events;
}

/** JSON bytes of a batch (or of one chunk of it). */
function parseBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}
