/**
 * The process-wide engine: which reporter and clock runs use, the flow runs alive in this
 * process (for commands, heartbeats and crash reporting), and the task cache.
 * `configure()` is the only way to change it.
 */
import type { Command, FlowlightEvent } from '@flowlight/schema';
import { LogLevel } from '@flowlight/schema';
import { realClock, type Clock } from './clock.js';
import type { Reporter } from './reporter.js';
import { MemoryReporter } from './reporters/memory.js';
import { ApiReporter } from './reporters/api.js';
import type { FlowRun } from './runs.js';

export interface EngineConfig {
  /** Where events go. @default ApiReporter when FLOWLIGHT_API_URL is set, else a MemoryReporter keeping the last 10,000 events */
  reporter?: Reporter;
  /** @default the real clock */
  clock?: Clock;
  /** Print run logs to stderr. @default true unless FLOWLIGHT_PRINT_LOGS=0 or running under vitest */
  printLogs?: boolean;
  /** Lowest level printed. @default info */
  printLevel?: number;
  /** How long SIGTERM/SIGINT handling waits for onCrashed hooks and the final flush. @default 5000 */
  crashFlushMs?: number;
}

class Engine {
  clock: Clock = realClock;
  printLogs = process.env.FLOWLIGHT_PRINT_LOGS !== '0' && !process.env.VITEST;
  printLevel: number = LogLevel.info;
  crashFlushMs = 5000;
  readonly originalConsole = { error: console.error.bind(console) };
  readonly active = new Map<string, FlowRun>();
  /** Cached task results by key, oldest first (a Map keeps insertion order). */
  readonly cache = new Map<string, { value: unknown; expiresAt: number }>();
  /** Most results kept; the oldest go first. @default 10000 */
  maxCacheEntries = 10_000;
  private _reporter: Reporter | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private signalsInstalled = false;

  get reporter(): Reporter {
    if (!this._reporter) this.setReporter(defaultReporter());
    return this._reporter!;
  }

  setReporter(reporter: Reporter): void {
    this._reporter = reporter;
    reporter.onCommand?.((cmd) => this.command(cmd));
  }

  cacheResult(key: string, value: unknown, expiresAt: number): void {
    this.cache.delete(key); // re-inserted at the end: the newest
    this.cache.set(key, { value, expiresAt });
    while (this.cache.size > this.maxCacheEntries) this.cache.delete(this.cache.keys().next().value!);
  }

  emit(event: FlowlightEvent): void {
    this.reporter.emit(event);
  }

  /** See Reporter.backlog. */
  backlog(): Promise<void> | undefined {
    return this.reporter.backlog?.();
  }

  /** Applies a pause/resume/cancel command to a flow run of this process. */
  command(cmd: Pick<Command, 'flowRunId' | 'command'> & { reason?: string | undefined }): boolean {
    const run = this.active.get(cmd.flowRunId);
    if (!run) return false;
    if (cmd.command === 'pause') return run.requestPause();
    if (cmd.command === 'resume') return run.resume();
    return run.cancel(cmd.reason);
  }

  register(run: FlowRun): void {
    this.active.set(run.id, run);
    this.reporter.attach?.(run.id);
    this.installSignals();
    const every = this.reporter.heartbeatMs;
    if (every && !this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const r of this.active.values()) r.emitHeartbeat();
      }, every);
      this.heartbeat.unref();
    }
  }

  unregister(run: FlowRun): void {
    this.active.delete(run.id);
    this.reporter.detach?.(run.id);
    if (this.active.size === 0) {
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      this.removeSignals();
    }
  }

  /** Marks every live run Crashed (running onCrashed hooks), flushes, within `crashFlushMs`. */
  async crashAll(message: string): Promise<void> {
    const runs = [...this.active.values()];
    const work = (async () => {
      await Promise.allSettled(runs.map((r) => r.crash(message)));
      await this.reporter.flush();
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, this.crashFlushMs)))]);
    clearTimeout(timer);
  }

  private readonly onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    this.removeSignals();
    void this.crashAll(`Process received ${signal} while the run was in progress`).finally(() => process.exit(code));
  };

  private readonly onUncaught = (error: Error) => {
    this.removeSignals();
    this.originalConsole.error(error);
    void this.crashAll(`Process crashed outside user code: ${error.name}: ${error.message}`).finally(() =>
      process.exit(1),
    );
  };

  private installSignals(): void {
    if (this.signalsInstalled) return;
    this.signalsInstalled = true;
    process.on('SIGTERM', this.onSignal);
    process.on('SIGINT', this.onSignal);
    process.on('uncaughtException', this.onUncaught);
  }

  private removeSignals(): void {
    if (!this.signalsInstalled) return;
    this.signalsInstalled = false;
    process.off('SIGTERM', this.onSignal);
    process.off('SIGINT', this.onSignal);
    process.off('uncaughtException', this.onUncaught);
  }
}

function defaultReporter(): Reporter {
  const url = process.env.FLOWLIGHT_API_URL;
  if (url) return new ApiReporter({ url, apiKey: process.env.FLOWLIGHT_API_KEY });
  return new MemoryReporter({ maxEvents: 10_000 });
}

export const engine = new Engine();

/**
 * Sets the reporter, clock or log printing for runs started after the call.
 * @example configure({ reporter: new MemoryReporter(), clock: new FakeClock() })
 */
export function configure(config: EngineConfig): void {
  if (config.reporter) engine.setReporter(config.reporter);
  if (config.clock) engine.clock = config.clock;
  if (config.printLogs !== undefined) engine.printLogs = config.printLogs;
  if (config.printLevel !== undefined) engine.printLevel = config.printLevel;
  if (config.crashFlushMs !== undefined) engine.crashFlushMs = config.crashFlushMs;
}

/** The reporter runs report to. */
export const getReporter = (): Reporter => engine.reporter;

/** Delivers every event emitted so far; call before a script exits if it does not end on its own. */
export const flushEvents = (): Promise<void> => engine.reporter.flush();

/** Flushes and closes the reporter (its connection to the API). */
export const shutdown = (): Promise<void> => engine.reporter.close();

/**
 * Sends pause, resume or cancel to a flow run of this process, as the API does.
 * Returns false when no such run is alive here or the command does not fit its state.
 */
export function controlFlowRun(flowRunId: string, command: Command['command'], reason?: string): boolean {
  return engine.command({ flowRunId, command, reason });
}

/** Drops cached task results. */
export const clearTaskCache = (): void => engine.cache.clear();
