/**
 * Reports to the Flowlight API: events are batched (by count and a few ms), sent over socket.io
 * (or HTTP POST /api/events), retried with backoff while the API is away, and held in a bounded
 * buffer, so a short API restart loses nothing. Commands for attached runs come back on the same
 * socket. The connection closes when idle, so a script that ran a flow exits on its own.
 */
import type {
  Command,
  EngineClientToServer,
  EngineServerToClient,
  FlowlightEvent,
  IngestResult,
  WorkerClientToServer,
} from '@flowlight/schema';
import { MAX_EVENTS_PER_BATCH, toWire } from '@flowlight/schema';
import { io, type Socket } from 'socket.io-client';
import type { Reporter } from '../reporter.js';
import { UnmaskedWebSocket } from './unmaskedSocket.js';

export interface ApiReporterOptions {
  /** Base URL of the API, e.g. http://127.0.0.1:4200 */
  url: string;
  apiKey?: string | undefined;
  /** @default 'socket' */
  transport?: 'socket' | 'http';
  /** Largest batch (at most 5,000, what the API takes). @default 1000 */
  batchSize?: number;
  /** How long an event may wait for companions. @default 10 */
  batchDelayMs?: number;
  /** Events kept while the API is away; the oldest are dropped past it. @default 200000 */
  maxBuffer?: number;
  /**
   * Undelivered events at which new task runs wait while the API answers but is behind, until
   * half of them are delivered; a fast flow then runs at the API's pace instead of filling the
   * buffer. Not applied while the API is away. @default a quarter of maxBuffer
   */
  backlogEvents?: number;
  /** Largest batch in (approximate) bytes of JSON, below the API's 8 MB message limit. @default 4000000 */
  maxBatchBytes?: number;
  /**
   * Batches awaiting acknowledgement at once. Acks are read only between the flow's own work, so
   * a burst of task runs (tens of ms) must not outlast the API's queued batches. Over HTTP, where
   * parallel requests may arrive out of order, one. @default 16 (socket), 1 (http)
   */
  maxInFlight?: number;
  /** Longest wait of flush() while the API is away. @default 30000 */
  flushTimeoutMs?: number;
  /** @default FLOWLIGHT_HEARTBEAT_SECONDS or 10 s */
  heartbeatMs?: number;
  /** Close the connection after this long with nothing to send and no attached run. @default 200 */
  idleCloseMs?: number;
  /** Where delivery problems are written. @default console.error */
  warn?: (message: string) => void;
}

type EngineSocket = Socket<EngineServerToClient, EngineClientToServer>;

const utf8 = new TextEncoder();
/** The event loop's own setImmediate, kept from before a test's fake timers could replace it: the
 * turns the reporter waits for must come. */
const realSetImmediate = setImmediate;
/** Wire events per JSON chunk of a batch (a task run's group is ~700 bytes)... */
const CHUNK_EVENTS = 100;
/** ... in at most this many chunks: socket.io's parser refuses a packet with more than 10 binary
 * attachments (and drops the connection), so a larger batch makes larger chunks. */
const MAX_CHUNKS = 8;

export class ApiReporter implements Reporter {
  readonly heartbeatMs: number;
  private readonly opts: Required<Omit<ApiReporterOptions, 'apiKey'>> & { apiKey: string | undefined };
  private queue: FlowlightEvent[] = [];
  private sending = false;
  private timer: NodeJS.Timeout | undefined;
  /** The delay `timer` was set with. */
  private timerWait = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private socket: EngineSocket | undefined;
  private readonly attached = new Set<string>();
  private handler: ((cmd: Command) => boolean) | undefined;
  private waiters: (() => void)[] = [];
  private backoffMs = 0;
  private holds = 0;
  private connectListeners: (() => void)[] = [];
  private dropped = 0;
  private closed = false;
  private behind: { promise: Promise<void>; release: () => void } | undefined;
  /** Events emitted in all, and that count when the event loop last had a turn. */
  private emitted = 0;
  private emittedAtTurn = 0;
  private turn: Promise<void> | undefined;

  constructor(options: ApiReporterOptions) {
    const envHeartbeat = Number(process.env.FLOWLIGHT_HEARTBEAT_SECONDS);
    this.opts = {
      transport: 'socket',
      batchSize: 1000,
      batchDelayMs: 10,
      maxInFlight: options.transport === 'http' ? 1 : 16,
      maxBatchBytes: 4_000_000,
      maxBuffer: 200_000,
      backlogEvents: 0, // derived from maxBuffer below unless given
      flushTimeoutMs: 30_000,
      heartbeatMs: envHeartbeat > 0 ? envHeartbeat * 1000 : 10_000,
      idleCloseMs: 200,
      warn: (m) => console.error(`[flowlight] ${m}`),
      ...options,
      url: options.url.replace(/\/+$/, ''),
      apiKey: options.apiKey,
    };
    // the API refuses a batch of more events than this (and the reporter would drop it)
    this.opts.batchSize = Math.min(this.opts.batchSize, MAX_EVENTS_PER_BATCH);
    this.opts.backlogEvents = options.backlogEvents ?? Math.floor(this.opts.maxBuffer / 4);
    this.heartbeatMs = this.opts.heartbeatMs;
  }

  emit(event: FlowlightEvent): void {
    if (this.closed) return;
    this.emitted++;
    this.queue.push(event);
    if (this.queue.length > this.opts.maxBuffer) {
      this.queue.shift();
      if (this.dropped++ === 0) this.opts.warn(`event buffer full (${this.opts.maxBuffer}); dropping the oldest events`);
    }
    this.schedule(this.queue.length >= this.opts.batchSize ? 0 : this.opts.batchDelayMs);
  }

  backlog(): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.queue.length < this.opts.backlogEvents || this.backoffMs > 0) {
      // Task runs that finish in microtasks never give the event loop a turn: nothing would be
      // sent (nor a command received) until the flow awaits real I/O. After a batch's worth of
      // events without a turn, the next task run waits for one; more often while connecting,
      // which takes a few turns.
      const turn = this.nextTurn();
      const connected = this.opts.transport === 'http' || this.socket?.connected;
      const every = connected ? this.opts.batchSize : Math.ceil(this.opts.batchSize / 10);
      return this.emitted - this.emittedAtTurn >= every ? turn : undefined;
    }
    if (!this.behind) {
      let release!: () => void;
      const promise = new Promise<void>((r) => (release = r));
      this.behind = { promise, release };
    }
    return this.behind.promise;
  }

  /** Resolves at the event loop's next turn (one pending at a time), which notes the turn. */
  private nextTurn(): Promise<void> {
    return (this.turn ??= new Promise<void>((resolve) =>
      realSetImmediate(() => {
        this.turn = undefined;
        this.emittedAtTurn = this.emitted;
        resolve();
      }),
    ));
  }

  /** Lets waiting task runs go: the API caught up, or is away (then the bounded buffer applies). */
  private releaseBacklog(force: boolean): void {
    if (!this.behind || (!force && this.queue.length > this.opts.backlogEvents / 2)) return;
    this.behind.release();
    this.behind = undefined;
  }

  onCommand(handler: (cmd: Command) => boolean): void {
    this.handler = handler;
  }

  attach(flowRunId: string): void {
    this.attached.add(flowRunId);
    const s = this.connect();
    if (s?.connected) s.emit('attach', [flowRunId]);
  }

  detach(flowRunId: string): void {
    this.attached.delete(flowRunId);
    if (this.socket?.connected) this.socket.emit('detach', [flowRunId]);
    this.maybeIdle();
  }

  /** Keeps the connection open while held (a worker waiting for runs); returns the release function. */
  hold(): () => void {
    this.holds++;
    this.connect();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.maybeIdle();
    };
  }

  /** Called on every later (re)connection, e.g. to register deployments again after an API restart. */
  onConnect(listener: () => void): void {
    this.connectListeners.push(listener);
  }

  /** A request/answer over the socket (worker protocol). Rejects when not connected within the timeout. */
  async request<E extends keyof WorkerClientToServer>(
    event: E,
    payload: Parameters<WorkerClientToServer[E]>[0],
    timeoutMs = 10_000,
  ): Promise<Parameters<Parameters<WorkerClientToServer[E]>[1]>[0]> {
    if (this.opts.transport === 'http') throw new Error('workers need the socket transport');
    const socket = this.connect()!;
    if (!socket.connected) await this.waitConnected(socket, timeoutMs);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the typed maps cover the engine events only
    return (socket as any).timeout(timeoutMs).emitWithAck(event, payload);
  }

  private waitConnected(socket: EngineSocket, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        socket.off('connect', ok);
        reject(new Error(`cannot reach the Flowlight API at ${this.opts.url}`));
      }, ms);
      const ok = () => {
        clearTimeout(t);
        resolve();
      };
      socket.once('connect', ok);
    });
  }

  flush(): Promise<void> {
    if (this.queue.length === 0 && !this.sending) return Promise.resolve();
    this.schedule(0);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        if (this.queue.length) this.opts.warn(`${this.queue.length} events not delivered to ${this.opts.url} yet`);
        resolve();
      }, this.opts.flushTimeoutMs);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.releaseBacklog(true);
    clearTimeout(this.timer);
    clearTimeout(this.idleTimer);
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private schedule(delay: number): void {
    if (this.sending) return;
    const wait = Math.max(delay, this.backoffMs);
    if (this.timer) {
      // an earlier or as early send is set already (every event past a full batch asks again)
      if (wait >= this.timerWait) return;
      clearTimeout(this.timer);
    }
    this.timerWait = wait;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, wait);
  }

  /**
   * Sends batches, up to `maxInFlight` at once on the one ordered connection. On a failure every
   * unacknowledged batch goes back to the front of the queue, in order, and is sent again after a
   * backoff; the API ignores ids it already stored, so a batch that did land is not duplicated.
   */
  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    const inFlight: { batch: FlowlightEvent[]; done: Promise<boolean> }[] = [];
    let failed = false;
    while (!failed && (this.queue.length > 0 || inFlight.length > 0)) {
      while (!failed && this.queue.length > 0 && inFlight.length < this.opts.maxInFlight) {
        const batch = this.queue.splice(0, batchLength(this.queue, this.opts.batchSize, this.opts.maxBatchBytes));
        inFlight.push({ batch, done: this.deliver(batch) });
      }
      const head = inFlight.shift()!;
      const delivered = await head.done;
      this.releaseBacklog(!delivered);
      if (!delivered) {
        failed = true;
        // the head and everything behind it go back, in order
        const back = [head.batch, ...inFlight.splice(0).map((f) => f.batch)].flat();
        this.queue.unshift(...back);
      }
    }
    this.sending = false;
    if (failed) {
      this.backoffMs = Math.min(5000, Math.max(100, this.backoffMs * 2));
      this.schedule(this.backoffMs);
      return;
    }
    this.backoffMs = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.maybeIdle();
  }

  /** One batch: true when the API answered (stored, or refused as malformed), false to retry. */
  private async deliver(batch: FlowlightEvent[]): Promise<boolean> {
    let outcome: IngestResult | { error: string };
    try {
      outcome = await this.send(batch);
    } catch {
      return false;
    }
    if ('error' in outcome) {
      // The API asks for the batch again later (rate limit, a storage fault): keep it.
      if ((outcome as { serverFault?: boolean }).serverFault || outcome.error.startsWith('rate limit')) return false;
      this.opts.warn(`API refused a batch of ${batch.length} events: ${outcome.error}`);
    }
    else if (outcome.rejected.length) {
      this.opts.warn(`API rejected ${outcome.rejected.length} event(s), first: ${outcome.rejected[0]!.reason}`);
    }
    return true;
  }

  private async send(batch: FlowlightEvent[]): Promise<IngestResult | { error: string }> {
    if (this.opts.transport === 'http') {
      const res = await fetch(`${this.opts.url}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
        body: JSON.stringify(toWire(batch)),
      });
      if (res.status >= 500 || res.status === 429) throw new Error(`API answered ${res.status}`);
      const body = (await res.json()) as IngestResult | { error: string };
      return body;
    }
    const socket = this.connect()!;
    if (!socket.connected) await this.waitConnected(socket, 2000);
    // The batch as JSON bytes: socket.io sends them as binary frames as they are, instead of
    // walking every event for binary data and writing its own JSON; the API parses them once.
    // In chunks of ~100 events: V8 makes and parses strings under ~128 KB twice as fast as longer
    // ones. (TextEncoder: about ten times faster than Buffer.from for these strings.)
    const wire = toWire(batch);
    const chunks: Uint8Array[] = [];
    const per = Math.max(CHUNK_EVENTS, Math.ceil(wire.length / MAX_CHUNKS));
    for (let i = 0; i < wire.length; i += per) chunks.push(utf8.encode(JSON.stringify(wire.slice(i, i + per))));
    return socket.timeout(15_000).emitWithAck('events', chunks);
  }

  private connect(): EngineSocket | undefined {
    if (this.closed || this.opts.transport === 'http') return undefined;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.socket) return this.socket;
    const socket: EngineSocket = io(`${this.opts.url}/engine`, {
      auth: this.opts.apiKey ? { apiKey: this.opts.apiKey } : {},
      transports: [UnmaskedWebSocket],
      reconnectionDelay: 100,
      reconnectionDelayMax: 2000,
    });
    socket.on('connect', () => {
      if (this.attached.size) socket.emit('attach', [...this.attached]);
      if (this.queue.length) this.schedule(0);
      for (const l of this.connectListeners) l();
    });
    socket.on('disconnect', () => this.releaseBacklog(true));
    socket.on('connect_error', (err) => {
      if (err.message.includes('api key')) this.opts.warn(`cannot connect to ${this.opts.url}: ${err.message}`);
    });
    socket.on('command', (cmd, ack) => {
      let ok = false;
      try {
        ok = this.handler ? this.handler(cmd) : false;
      } catch {
        ok = false;
      }
      if (typeof ack === 'function') ack({ ok, message: ok ? 'accepted' : 'the run is not in a state for this command' });
    });
    this.socket = socket;
    return socket;
  }

  private maybeIdle(): void {
    if (!this.socket || this.holds || this.attached.size || this.queue.length || this.sending || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.holds || this.attached.size || this.queue.length || this.sending) return;
      this.socket?.disconnect();
      this.socket = undefined;
    }, this.opts.idleCloseMs);
    this.idleTimer.unref();
  }
}

/**
 * How many events from the head of the queue make the next batch: at most `count`, and no more
 * (approximate) JSON bytes than `maxBytes` — a batch over the API's message limit would close the
 * connection and be resent forever. At least one event, whatever its size.
 */
function batchLength(queue: readonly FlowlightEvent[], count: number, maxBytes: number): number {
  let bytes = 0;
  const n = Math.min(count, queue.length);
  for (let i = 0; i < n; i++) {
    bytes += approxBytes(queue[i]!);
    if (bytes > maxBytes) return Math.max(1, i);
  }
  return n;
}

/** A cheap upper-bound-ish size of an event's JSON: a fixed part plus its long strings. */
function approxBytes(e: FlowlightEvent): number {
  let n = 400;
  if (e.kind === 'log') return n + e.message.length * 2;
  if (e.kind === 'heartbeat') return n;
  const info = e.kind === 'flow-run-state' ? e.flowRun : e.taskRun;
  n += (info.parameters?.text.length ?? 0) * 2 + (e.result?.text.length ?? 0) * 2 + (e.state.message?.length ?? 0) * 2;
  for (let err = e.error; err; err = err.cause) n += (err.message.length + (err.stack?.length ?? 0)) * 2;
  return n;
}
