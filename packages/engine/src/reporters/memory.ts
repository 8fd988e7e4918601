/**
 * Keeps events in memory: the default sink without a server, and what tests read to assert the
 * full history of every run. `maxEvents` bounds it for long-lived processes.
 */
import type { FlowlightEvent, LogEvent, StateName } from '@flowlight/schema';
import type { Reporter } from '../reporter.js';

type StateEvent = Extract<FlowlightEvent, { kind: 'flow-run-state' | 'task-run-state' }>;

export class MemoryReporter implements Reporter {
  private buffer: FlowlightEvent[] = [];
  private start = 0;
  private readonly maxEvents: number;
  private listeners: ((e: FlowlightEvent) => void)[] = [];

  constructor(opts: { maxEvents?: number } = {}) {
    this.maxEvents = opts.maxEvents ?? Infinity;
  }

  emit(event: FlowlightEvent): void {
    this.buffer.push(event);
    if (this.buffer.length - this.start > this.maxEvents) {
      this.start++;
      if (this.start > 4096 && this.start * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.start);
        this.start = 0;
      }
    }
    for (const l of this.listeners) l(event);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: (e: FlowlightEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Every event kept, oldest first. */
  get events(): readonly FlowlightEvent[] {
    return this.start ? this.buffer.slice(this.start) : this.buffer;
  }

  clear(): void {
    this.buffer = [];
    this.start = 0;
  }

  /** State events of one run (flow or task), in order. */
  statesOf(runId: string): StateEvent[] {
    return this.events.filter((e): e is StateEvent => (e.kind === 'flow-run-state' || e.kind === 'task-run-state') && e.runId === runId);
  }

  /** The names of the states a run went through, e.g. ['Pending', 'Running', 'Completed']. */
  historyOf(runId: string): StateName[] {
    return this.statesOf(runId).map((e) => e.state.name);
  }

  /** Flow run ids in the order they were created, optionally of one flow. */
  flowRunIds(flowName?: string): string[] {
    return this.unique('flow-run-state', (e) => !flowName || e.flowRun.flowName === flowName);
  }

  /** Task run ids in creation order, optionally of one flow run and/or task name. */
  taskRunIds(filter: { flowRunId?: string; taskName?: string } = {}): string[] {
    return this.unique(
      'task-run-state',
      (e) =>
        (!filter.flowRunId || e.flowRunId === filter.flowRunId) &&
        (!filter.taskName || e.taskRun.taskName === filter.taskName),
    );
  }

  /** Log events of a flow run (its task runs' logs included), or of one task run. */
  logsOf(runId: string): LogEvent[] {
    return this.events.filter(
      (e): e is LogEvent => e.kind === 'log' && (e.flowRunId === runId || e.taskRunId === runId),
    );
  }

  private unique<K extends 'flow-run-state' | 'task-run-state'>(
    kind: K,
    pred: (e: Extract<FlowlightEvent, { kind: K }>) => boolean,
  ): string[] {
    const seen = new Set<string>();
    for (const e of this.events) {
      if (e.kind === kind && pred(e as Extract<FlowlightEvent, { kind: K }>)) seen.add(e.runId);
    }
    return [...seen];
  }
}
