/**
 * The one socket.io client for the `/ui` namespace. Pages subscribe to rooms (ref-counted);
 * deltas go through the per-frame coalescer into the query cache. After a reconnect the client
 * re-joins its rooms and asks for what it missed since its last cursor.
 */
import { io, type Socket } from 'socket.io-client';
import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import { flowRunKeys } from '../api/flow-runs';
import { taskRunKeys } from '../api/task-runs';
import { logKeys } from '../api/logs';
import { statsKeys } from '../api/stats';
import { flowKeys } from '../api/flows';
import type { DeltaBatch, UiClientToServer, UiRoom, UiServerToClient } from '@flowlight/schema';
import { applyDelta, aggregateRefresher, countsRefresher, deploymentsRefresher } from './apply';
import { createCoalescer } from './coalesce';
import { reachability } from '../api/reachability';

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting';

type UiSocket = Socket<UiServerToClient, UiClientToServer>;

const roomKey = (r: UiRoom) => (r.room === 'run' ? `run:${r.flowRunId}` : r.room);

/** The cached queries a room's deltas keep current. */
const roomQueries = (r: UiRoom): readonly QueryKey[] =>
  r.room === 'runs'
    ? [flowRunKeys.lists(), statsKeys.all, flowKeys.all]
    : [
        flowRunKeys.detail(r.flowRunId),
        taskRunKeys.list(r.flowRunId),
        taskRunKeys.details(),
        logKeys.lists(),
      ];

/** Snapshots that landed before `t` (when a room join took effect): they may have missed a change. */
const landedBefore = (t: number) => (q: Query) => q.state.status === 'success' && q.state.dataUpdatedAt < t;

export class LiveConnection {
  private socket: UiSocket | null = null;
  private rooms = new Map<string, { room: UiRoom; refs: number }>();
  private lastCursor: number | null = null;
  private everConnected = false;
  private statusValue: LiveStatus = 'connecting';
  private disconnectedAt: number | null = Date.now();
  private listeners = new Set<() => void>();
  private readonly coalescer;
  /** For benchmarks and tests: how many batches were applied. */
  applied = 0;

  constructor(
    private readonly qc: QueryClient,
    /** Origin of the API; the page's own origin when empty (the API serves the app). */
    private readonly origin = '',
  ) {
    const refreshAggregates = aggregateRefresher(qc);
    const refreshCounts = countsRefresher(qc);
    const refreshDeployments = deploymentsRefresher(qc);
    this.coalescer = createCoalescer((batch) => {
      this.applied++;
      applyDelta(qc, batch, {
        onAggregatesChanged: refreshAggregates,
        onCountsUnknown: refreshCounts,
        onDeploymentRunsChanged: refreshDeployments,
      });
    });
  }

  get status(): LiveStatus {
    return this.statusValue;
  }
  /** Epoch ms since when the socket has been down (null while connected). */
  get downSince(): number | null {
    return this.disconnectedAt;
  }

  onChange = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private setStatus(s: LiveStatus) {
    this.statusValue = s;
    this.disconnectedAt = s === 'connected' ? null : (this.disconnectedAt ?? Date.now());
    for (const l of this.listeners) l();
  }

  start(): void {
    if (this.socket) return;
    const socket: UiSocket = io(`${this.origin}/ui`, {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      for (const { room } of this.rooms.values()) socket.emit('subscribe', room);
      // The API is back: clear the banner and retry what failed while it was away.
      reachability.set(true);
      void this.qc.invalidateQueries({ predicate: (q) => q.state.status === 'error' });
      if (this.everConnected) {
        if (this.lastCursor !== null) this.catchUp(this.lastCursor);
        else void this.qc.invalidateQueries();
      } else {
        // Snapshots that landed before the rooms were joined may have missed a change.
        const joinedAt = Date.now();
        void this.qc.invalidateQueries({ predicate: landedBefore(joinedAt) });
      }
      this.everConnected = true;
      this.setStatus('connected');
    });
    socket.on('disconnect', () => this.setStatus(this.everConnected ? 'reconnecting' : 'connecting'));
    socket.on('connect_error', () => this.setStatus(this.everConnected ? 'reconnecting' : 'connecting'));
    socket.on('delta', (batch) => this.receive(batch));
  }

  stop(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  private receive(batch: DeltaBatch) {
    if (typeof batch?.cursor === 'number') this.lastCursor = Math.max(this.lastCursor ?? 0, batch.cursor);
    this.coalescer.push(batch);
  }

  private catchUp(cursor: number) {
    this.socket?.emit('catchUp', cursor, (res) => {
      if (!res || res.reset) {
        // Too much was missed: every snapshot on screen refetches.
        void this.qc.invalidateQueries();
        return;
      }
      if (res.batch) this.receive(res.batch);
    });
  }

  /**
   * Resolves once the server has handled everything this client sent so far (room joins included):
   * socket.io handles one socket's events in order, so an acknowledged no-op proves it.
   * For tests and benchmarks.
   */
  whenJoined(timeoutMs = 5000): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('not started'));
    return new Promise((resolve, reject) => {
      socket.timeout(timeoutMs).emit('catchUp', -1, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  subscribe(room: UiRoom): () => void {
    const key = roomKey(room);
    const entry = this.rooms.get(key);
    if (entry) entry.refs++;
    else {
      this.rooms.set(key, { room, refs: 1 });
      const socket = this.socket;
      if (socket?.connected) {
        socket.emit('subscribe', room);
        // A snapshot that arrived before the join took effect may predate a change that no delta
        // will repeat (a page opened on a run between two of its states): once the server has
        // handled the join (an acknowledged no-op after it, in order), refetch what landed earlier.
        socket.timeout(5000).emit('catchUp', -1, (err: Error | null) => {
          if (err) return;
          const joinedAt = Date.now();
          for (const queryKey of roomQueries(room)) {
            void this.qc.invalidateQueries({ queryKey, predicate: landedBefore(joinedAt) });
          }
        });
      }
    }
    return () => {
      const e = this.rooms.get(key);
      if (!e) return;
      if (--e.refs > 0) return;
      // Leave on the next tick, so a page swap that re-joins the same room keeps it.
      setTimeout(() => {
        const now = this.rooms.get(key);
        if (!now || now.refs > 0) return;
        this.rooms.delete(key);
        if (this.socket?.connected) this.socket.emit('unsubscribe', room);
        // What this room kept current may now drift: refetch it when it is shown again.
        for (const queryKey of roomQueries(room))
          void this.qc.invalidateQueries({ queryKey, refetchType: 'none' });
      }, 0);
    };
  }
}
