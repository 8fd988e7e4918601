/**
 * socket.io namespace `/engine`: running flows send event batches and attach to the rooms of the
 * flow runs they host (`flow-run:<id>`), where commands reach them. When an API key is configured
 * the handshake must carry it (`auth: { apiKey }`). A socket that sends far more events per second
 * than allowed is first answered with an error (the engine backs off) and then disconnected.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Namespace, Server } from 'socket.io';
import { commandSchema, type Command, type EngineClientToServer, type EngineServerToClient } from '@flowlight/schema';
import type { Logger } from '../logger.js';
import { isEncodedBatch, type IngestService } from '../services/ingest.js';

export const engineRoom = (flowRunId: string) => `flow-run:${flowRunId}`;

export type EngineNamespace = Namespace<EngineClientToServer, EngineServerToClient>;

export interface EngineSocketOptions {
  apiKey: string | undefined;
  /** Events per second a socket may send before its batches are refused. @default 200000 */
  maxEventsPerSecond?: number;
  /** Multiple of the limit at which the socket is disconnected. @default 5 */
  disconnectFactor?: number;
  /** Whether the run already ended in the API: an engine attaching to it is told to cancel. */
  isFinished?: (flowRunId: string) => boolean;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const isIdList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 10_000 && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 128);

export function attachEngineNamespace(io: Server, ingest: IngestService, logger: Logger, opts: EngineSocketOptions): EngineNamespace {
  const nsp: EngineNamespace = io.of('/engine');
  const limit = opts.maxEventsPerSecond ?? 200_000;
  const factor = opts.disconnectFactor ?? 5;

  nsp.use((socket, next) => {
    if (!opts.apiKey) return next();
    const given: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['apiKey'];
    if (typeof given === 'string' && safeEqual(given, opts.apiKey)) return next();
    next(new Error('unauthorized: missing or wrong API key (set FLOWLIGHT_API_KEY in the engine too)'));
  });

  nsp.on('connection', (socket) => {
    let windowStart = Date.now();
    let count = 0;
    socket.on('events', (batch: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {};
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        count = 0;
      }
      // a batch as JSON bytes (the engine's reporter) counts as its events once stored
      const encoded = isEncodedBatch(batch);
      count += encoded ? 1 : Array.isArray(batch) ? batch.length : 1;
      if (count > limit * factor) {
        logger.warn('engine socket flooded the API; disconnecting it', { socket: socket.id, eventsThisSecond: count });
        reply({ error: `rate limit: more than ${limit * factor} events per second; disconnected` });
        socket.disconnect(true);
        return;
      }
      if (count > limit) {
        reply({ error: `rate limit: at most ${limit} events per second; slow down and resend` });
        return;
      }
      const res = ingest(batch);
      // ... in place of the 1 it counted for above
      if (encoded && 'accepted' in res) count += res.accepted + res.duplicates + res.rejected.length - 1;
      reply(res);
    });
    socket.on('attach', (ids: unknown) => {
      if (!isIdList(ids)) return;
      void socket.join(ids.map(engineRoom));
      for (const id of ids) {
        if (!opts.isFinished?.(id)) continue;
        const cmd: Command = { id: randomUUID(), flowRunId: id, command: 'cancel', requestedAt: Date.now(), reason: 'The run was ended from the API' };
        socket.timeout(5000).emit('command', cmd, () => undefined);
      }
    });
    socket.on('detach', (ids: unknown) => {
      if (isIdList(ids)) for (const id of ids) void socket.leave(engineRoom(id));
    });
  });
  return nsp;
}

/** Pushes a command to every engine socket attached to the run; resolves with their answers (timeouts omitted). */
export async function deliverCommand(
  nsp: EngineNamespace,
  cmd: Command,
  timeoutMs: number,
): Promise<{ ok: boolean; message?: string }[]> {
  commandSchema.parse(cmd);
  const sockets = await nsp.in(engineRoom(cmd.flowRunId)).fetchSockets();
  const answers = await Promise.all(
    sockets.map(async (s) => {
      try {
        const res: unknown = await s.timeout(timeoutMs).emitWithAck('command', cmd);
        const r = res as { ok?: unknown; message?: unknown } | null;
        return { ok: r?.ok === true, message: typeof r?.message === 'string' ? r.message : undefined };
      } catch {
        return null;
      }
    }),
  );
  return answers.filter((a): a is { ok: boolean; message: string | undefined } => a !== null).map((a) =>
    a.message === undefined ? { ok: a.ok } : { ok: a.ok, message: a.message },
  );
}
