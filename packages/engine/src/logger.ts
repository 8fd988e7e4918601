/**
 * Run logs: `getRunLogger()` inside a flow or task gives a logger whose every line is an event
 * tied to that run; `logConsole` routes console output of a run to the same place.
 */
import { LogLevel, logLevelNameOf, type LogLevelName } from '@flowlight/schema';
import { format } from 'node:util';
import { currentContext, type RunContextStore } from './context.js';
import { MissingContextError } from './errors.js';
import { engine } from './runtime.js';
import { nextEventId } from './runs.js';

export interface RunLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warning(...args: unknown[]): void;
  /** Same as `warning`. */
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  critical(...args: unknown[]): void;
  log(level: LogLevelName | number, ...args: unknown[]): void;
}

const MAX_LOG_CHARS = 100_000;

export function emitLog(store: Pick<RunContextStore, 'flowRun' | 'taskRun'>, level: number, message: string): void {
  const run = store.taskRun ?? store.flowRun;
  const text = message.length > MAX_LOG_CHARS ? message.slice(0, MAX_LOG_CHARS) + '… (truncated)' : message;
  const event = {
    kind: 'log' as const,
    id: nextEventId(),
    seq: run.nextSeq(),
    ts: engine.clock.now(),
    runId: run.id,
    flowRunId: store.flowRun.id,
    level,
    message: text,
  };
  if (store.taskRun) (event as { taskRunId?: string }).taskRunId = store.taskRun.id;
  engine.emit(event);
  if (engine.printLogs && level >= engine.printLevel) {
    const when = new Date(event.ts).toISOString().slice(11, 23);
    engine.originalConsole.error(`${when} | ${logLevelNameOf(level).toUpperCase().padEnd(8)} | ${run.name} - ${text}`);
  }
}

function loggerFor(store: Pick<RunContextStore, 'flowRun' | 'taskRun'>): RunLogger {
  const at =
    (level: number) =>
    (...args: unknown[]) =>
      emitLog(store, level, format(...args));
  return {
    debug: at(LogLevel.debug),
    info: at(LogLevel.info),
    warning: at(LogLevel.warning),
    warn: at(LogLevel.warning),
    error: at(LogLevel.error),
    critical: at(LogLevel.critical),
    log: (level, ...args) => emitLog(store, typeof level === 'number' ? level : LogLevel[level], format(...args)),
  };
}

/**
 * The logger of the current flow or task run.
 * @example getRunLogger().info('fetched %d rows', rows.length)
 */
export function getRunLogger(): RunLogger {
  const store = currentContext();
  if (!store) {
    throw new MissingContextError(
      'getRunLogger() was called outside a flow or task run: call it inside the function you pass to flow() or task()',
    );
  }
  return loggerFor(store);
}

let consolePatched = false;
const CONSOLE_LEVELS = {
  debug: LogLevel.debug,
  log: LogLevel.info,
  info: LogLevel.info,
  warn: LogLevel.warning,
  error: LogLevel.error,
} as const;

/** Installs (once) console wrappers that copy output of runs with `logConsole` into run logs. */
export function captureConsole(): void {
  if (consolePatched) return;
  consolePatched = true;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [keyof typeof CONSOLE_LEVELS, number][]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const store = currentContext();
      if (store?.logConsole) emitLog(store, level, format(...args));
      original(...args);
    };
  }
}
