/**
 * Configuration from the environment, validated once at start. A bad value stops the start with a
 * message naming the variable, never a stack trace from deep inside the server.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
/** apps/web/dist of this repository. */
const defaultWebDist = path.resolve(here, '../../web/dist');

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

const envSchema = z.object({
  /** @default 4200 */
  FLOWLIGHT_PORT: z.coerce.number().int().min(0).max(65535).default(4200),
  /** @default 127.0.0.1 */
  FLOWLIGHT_HOST: z.string().min(1).default('127.0.0.1'),
  /** @default ./.flowlight/flowlight.db (relative to the working directory) */
  FLOWLIGHT_DB: z.string().min(1).default('./.flowlight/flowlight.db'),
  /** When set, every write request and the engine socket need it. */
  FLOWLIGHT_API_KEY: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  /** @default info */
  FLOWLIGHT_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** @default 60 */
  FLOWLIGHT_HEARTBEAT_GRACE_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  /** @default apps/web/dist of this repository */
  FLOWLIGHT_WEB_DIST: z.string().min(1).default(defaultWebDist),
});

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the SQLite file. */
  dbPath: string;
  apiKey: string | undefined;
  logLevel: LogLevelSetting;
  heartbeatGraceMs: number;
  webDist: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG';
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '?');
      return `  ${key}=${JSON.stringify(env[key] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.FLOWLIGHT_PORT,
    host: e.FLOWLIGHT_HOST,
    dbPath: e.FLOWLIGHT_DB === ':memory:' ? ':memory:' : path.resolve(e.FLOWLIGHT_DB),
    apiKey: e.FLOWLIGHT_API_KEY,
    logLevel: e.FLOWLIGHT_LOG_LEVEL,
    heartbeatGraceMs: e.FLOWLIGHT_HEARTBEAT_GRACE_SECONDS * 1000,
    webDist: path.resolve(e.FLOWLIGHT_WEB_DIST),
  };
}
