/** A small leveled logger writing one line per record to stderr. Injected, so tests can capture it. */
import type { LogLevelSetting } from './config.js';

export interface Logger {
  debug(msg: string, ctx?: Record<string, unknown>): void;
  info(msg: string, ctx?: Record<string, unknown>): void;
  warn(msg: string, ctx?: Record<string, unknown>): void;
  error(msg: string, ctx?: Record<string, unknown>): void;
}

const RANK = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const satisfies Record<LogLevelSetting, number>;
type Level = Exclude<LogLevelSetting, 'silent'>;

export function createLogger(level: LogLevelSetting, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = RANK[level];
  const log = (lvl: Level) => (msg: string, ctx?: Record<string, unknown>) => {
    if (RANK[lvl] < min) return;
    const extra = ctx ? ' ' + safeJson(ctx) : '';
    write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [api] ${msg}${extra}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (x instanceof Error ? { name: x.name, message: x.message } : x));
  } catch {
    return '[unserializable]';
  }
}
