/**
 * Live deltas for browsers. Writes mark what changed; every `windowMs` each room with changes gets
 * ONE DeltaBatch holding the latest summary per run/task run (read once at flush time) plus the new
 * log lines, so a burst of 10,000 transitions becomes a handful of messages. Each batch gets the
 * next cursor; a bounded ring of recent batches answers `catchUp(cursor)` after a reconnect, or
 * says `reset` when the cursor is older than the ring (or from a previous server process).
 */
import type { DeltaBatch, LogLine } from '@flowlight/schema';
import type { ChangeSet, Store } from '../store/types.js';

export const RUNS_ROOM = 'runs';
export const runRoom = (flowRunId: string) => `run:${flowRunId}`;

interface PendingRoom {
  flowRuns: Set<string>;
  taskRuns: Set<string>;
  logs: LogLine[];
  deleted: Set<string>;
}

export interface DeltaHubOptions {
  /** @default 20 */
  windowMs?: number;
  /** Batches kept for catch-up. @default 2000 */
  ringSize?: number;
  /** Log lines kept per room per window; older ones in the same window are dropped. @default 5000 */
  maxLogsPerWindow?: number;
  /** Summaries and log lines the ring may hold in all, so memory stays bounded. @default 100000 */
  maxRingItems?: number;
}

const size = (b: DeltaBatch | null) => (b ? b.flowRuns.length + b.taskRuns.length + b.logs.length + 1 : 1);

export class DeltaHub {
  private pending = new Map<string, PendingRoom>();
  private timer: NodeJS.Timeout | null = null;
  /** Starts at the clock in µs so cursors from a previous server process are always older than the ring. */
  private cursor = Date.now() * 1000;
  /** `batch` null: the room had no subscriber, so nothing was read; a catch-up over it says reset. */
  private ring: { cursor: number; room: string; batch: DeltaBatch | null }[] = [];
  private readonly windowMs: number;
  private readonly ringSize: number;
  private readonly maxLogs: number;
  private readonly maxRingItems: number;
  private ringItems = 0;

  constructor(
    private readonly store: Store,
    private readonly emit: (room: string, batch: DeltaBatch) => void,
    opts: DeltaHubOptions = {},
    /** Whether anyone listens to a room; one-run rooms nobody watches are not read at all. */
    private readonly hasSubscribers: (room: string) => boolean = () => true,
  ) {
    this.windowMs = opts.windowMs ?? 20;
    this.ringSize = opts.ringSize ?? 2000;
    this.maxLogs = opts.maxLogsPerWindow ?? 5000;
    this.maxRingItems = opts.maxRingItems ?? 100_000;
  }

  get currentCursor(): number {
    return this.cursor;
  }

  private room(name: string): PendingRoom {
    let r = this.pending.get(name);
    if (!r) this.pending.set(name, (r = { flowRuns: new Set(), taskRuns: new Set(), logs: [], deleted: new Set() }));
    return r;
  }

  publish(changes: ChangeSet): void {
    for (const id of changes.flowRunIds) {
      this.room(RUNS_ROOM).flowRuns.add(id);
      this.room(runRoom(id)).flowRuns.add(id);
    }
    for (const [taskId, flowRunId] of changes.taskRuns) this.room(runRoom(flowRunId)).taskRuns.add(taskId);
    for (const line of changes.logs) {
      const r = this.room(runRoom(line.flowRunId));
      r.logs.push(line);
      if (r.logs.length > this.maxLogs * 2) r.logs = r.logs.slice(-this.maxLogs);
    }
    for (const id of changes.deletedFlowRunIds) {
      this.room(RUNS_ROOM).deleted.add(id);
      this.room(runRoom(id)).deleted.add(id);
    }
    if (this.pending.size && !this.timer) {
      this.timer = setTimeout(() => this.flush(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Sends every pending room's batch now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = new Map();
    // A run changed in this window is in the list room and in its own room: read it once.
    const summaries = new Map<string, ReturnType<Store['getFlowRun']>>();
    const summary = (id: string) => {
      if (!summaries.has(id)) summaries.set(id, this.store.getFlowRun(id));
      return summaries.get(id)!;
    };
    for (const [room, p] of pending) {
      if (room !== RUNS_ROOM && !this.hasSubscribers(room)) {
        this.remember(++this.cursor, room, null);
        continue;
      }
      const batch: DeltaBatch = {
        cursor: ++this.cursor,
        flowRuns: [],
        taskRuns: [],
        logs: p.logs.length > this.maxLogs ? p.logs.slice(-this.maxLogs) : p.logs,
        deletedFlowRunIds: [...p.deleted],
      };
      for (const id of p.flowRuns) {
        if (p.deleted.has(id)) continue;
        const s = summary(id);
        if (s) batch.flowRuns.push(s);
      }
      for (const id of p.taskRuns) {
        const t = this.store.getTaskRun(id);
        if (t && !p.deleted.has(t.flowRunId)) batch.taskRuns.push(t);
      }
      this.remember(batch.cursor, room, batch);
      this.emit(room, batch);
    }
  }

  private remember(cursor: number, room: string, batch: DeltaBatch | null): void {
    this.ring.push({ cursor, room, batch });
    this.ringItems += size(batch);
    let drop = 0;
    while (
      drop < this.ring.length - 1 &&
      (this.ring.length - drop > this.ringSize || this.ringItems > this.maxRingItems)
    ) {
      this.ringItems -= size(this.ring[drop]!.batch);
      drop++;
    }
    if (drop) this.ring.splice(0, drop);
  }

  /** Everything after `cursor` for these rooms, merged into one batch; `reset` when it cannot be known. */
  catchUp(rooms: ReadonlySet<string>, cursor: number): { reset: boolean; batch: DeltaBatch | null } {
    const oldest = this.ring[0]?.cursor ?? this.cursor + 1;
    if (!Number.isSafeInteger(cursor) || cursor > this.cursor || cursor < oldest - 1) return { reset: true, batch: null };
    const merged: DeltaBatch = { cursor: this.cursor, flowRuns: [], taskRuns: [], logs: [], deletedFlowRunIds: [] };
    const runs = new Map<string, DeltaBatch['flowRuns'][number]>();
    const tasks = new Map<string, DeltaBatch['taskRuns'][number]>();
    const deleted = new Set<string>();
    for (const e of this.ring) {
      if (e.cursor <= cursor || !rooms.has(e.room)) continue;
      if (!e.batch) return { reset: true, batch: null };
      for (const r of e.batch.flowRuns) runs.set(r.id, r);
      for (const t of e.batch.taskRuns) tasks.set(t.id, t);
      merged.logs.push(...e.batch.logs);
      for (const d of e.batch.deletedFlowRunIds) deleted.add(d);
    }
    for (const d of deleted) runs.delete(d);
    merged.flowRuns = [...runs.values()];
    merged.taskRuns = [...tasks.values()];
    merged.deletedFlowRunIds = [...deleted];
    return { reset: false, batch: merged };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
