/**
 * Where the engine's events go. The engine does no I/O itself: it emits every state change and
 * log line to a Reporter. `MemoryReporter` keeps them (tests, scripts without a server);
 * `ApiReporter` batches them to the Flowlight API and carries commands back.
 */
import type { Command, FlowlightEvent } from '@flowlight/schema';

export interface Reporter {
  /** Must not throw and must not block: called on the hot path of every state change. */
  emit(event: FlowlightEvent): void;
  /** Resolves once every event emitted so far has been delivered (or given up on). */
  flush(): Promise<void>;
  /** Flushes and releases connections and timers. */
  close(): Promise<void>;
  /** Registers the handler for commands (pause/resume/cancel) sent to runs this process hosts. */
  onCommand?(handler: (cmd: Command) => boolean): void;
  /**
   * Backpressure: a promise when the sink holds so many undelivered events that new task runs
   * should wait until it caught up, or when it needs the event loop to send them (the engine
   * awaits it before running a task); undefined when it keeps up. Must be cheap: asked before
   * every task run.
   */
  backlog?(): Promise<void> | undefined;
  /** How often running flows send a heartbeat; undefined for none. */
  readonly heartbeatMs?: number | undefined;
  /** This process now hosts / no longer hosts the flow run: route its commands here. */
  attach?(flowRunId: string): void;
  detach?(flowRunId: string): void;
}
