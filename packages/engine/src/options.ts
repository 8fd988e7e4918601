/**
 * Flow and task options: documented, validated once at definition time with zod, and turned into
 * a typed `InvalidOptionError` that names the option. Nothing here runs per call.
 */
import { z } from 'zod';
import { InvalidOptionError } from './errors.js';

/** Seconds to wait before retry `attempt` (1-based): one number, one per retry, or a function. */
export type RetryDelay = number | readonly number[] | ((attempt: number) => number);

export interface CommonOptions<Hook> {
  /** Shown in the dashboard. @default the function's name, or 'anonymous-flow' / 'anonymous-task' */
  name?: string;
  description?: string;
  version?: string;
  /** @default [] */
  tags?: readonly string[];
  /** Extra attempts after a failure. @default 0 */
  retries?: number;
  /** @default 0 */
  retryDelaySeconds?: RetryDelay;
  /** Each delay is multiplied by a random factor in [1 - j, 1 + j]. @default 0 */
  retryJitterFactor?: number;
  /** Return false to fail at once instead of retrying. @default () => true */
  retryCondition?: (error: unknown, attempt: number) => boolean | Promise<boolean>;
  /** Fail as TimedOut after this many seconds. @default no timeout */
  timeoutSeconds?: number;
  /** Capture console.log/info/warn/error/debug inside the run as run logs. @default false */
  logConsole?: boolean;
  onRunning?: readonly Hook[];
  onCompletion?: readonly Hook[];
  onFailure?: readonly Hook[];
  onCancellation?: readonly Hook[];
  onCrashed?: readonly Hook[];
}

export const MAX_RETRY_DELAYS = 50;
export const HOOK_KINDS = ['onRunning', 'onCompletion', 'onFailure', 'onCancellation', 'onCrashed'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

const fn = z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function' });
const hooks = z.array(fn, { message: 'must be a list of functions' }).optional();
const nonNegSeconds = z.number().finite().nonnegative();

const common = {
  name: z.string().min(1, 'must not be empty').max(500).optional(),
  description: z.string().max(10_000).optional(),
  version: z.string().max(200).optional(),
  tags: z.array(z.string().min(1).max(200)).max(100).optional(),
  retries: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1000).optional(),
  retryDelaySeconds: z
    .union([
      nonNegSeconds,
      z.array(nonNegSeconds).max(MAX_RETRY_DELAYS, `at most ${MAX_RETRY_DELAYS} delays`),
      fn,
    ])
    .optional(),
  retryJitterFactor: z.number().finite().min(0).max(10).optional(),
  retryCondition: fn.optional(),
  timeoutSeconds: z.number().finite().positive('must be more than 0').optional(),
  logConsole: z.boolean().optional(),
  returnState: z.boolean().optional(),
  onRunning: hooks,
  onCompletion: hooks,
  onFailure: hooks,
  onCancellation: hooks,
  onCrashed: hooks,
};

const taskOptionsSchema = z.object({
  ...common,
  taskRunName: z.union([z.string().min(1).max(500), fn]).optional(),
  cacheKey: fn.optional(),
  cacheExpirationSeconds: z.number().finite().positive().optional(),
});

const flowOptionsSchema = z.object({
  ...common,
  flowRunName: z.union([z.string().min(1).max(500), fn]).optional(),
  parameters: z
    .custom<z.ZodType>((v) => v instanceof z.ZodType, { message: 'must be a zod schema' })
    .optional(),
  maxConcurrency: z.number().int().min(1, 'must be 1 or more').optional(),
});

/** Validates options; throws InvalidOptionError naming the first bad option. */
export function validateOptions(kind: 'flow' | 'task', owner: string, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'must be an object', owner);
  }
  const schema = kind === 'flow' ? flowOptionsSchema : taskOptionsSchema;
  const known = new Set(Object.keys(schema.shape));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new InvalidOptionError(key, `is not a ${kind} option`, owner);
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = issue.path.map(String).join('.') || 'options';
    throw new InvalidOptionError(option, issue.message, owner);
  }
}

/** Seconds before retry number `attempt` (1 = first retry), with jitter. */
export function retryDelayMs(
  delay: RetryDelay | undefined,
  attempt: number,
  jitter: number | undefined,
  random: () => number = Math.random,
): number {
  let seconds: number;
  if (delay === undefined) seconds = 0;
  else if (typeof delay === 'number') seconds = delay;
  else if (typeof delay === 'function') seconds = Number(delay(attempt)) || 0;
  else seconds = delay.length ? (delay[Math.min(attempt - 1, delay.length - 1)] ?? 0) : 0;
  if (jitter) seconds *= 1 + jitter * (random() * 2 - 1);
  return Math.max(0, seconds * 1000);
}

/**
 * Delays that double each retry: `factor`, `2·factor`, `4·factor`, … seconds.
 * @example task({ retries: 4, retryDelaySeconds: exponentialBackoff(1) }, fetchPage)
 */
export function exponentialBackoff(factor: number): (attempt: number) => number {
  if (!Number.isFinite(factor) || factor < 0) {
    throw new InvalidOptionError('factor', 'must be a number of seconds, 0 or more', 'exponentialBackoff');
  }
  return (attempt) => factor * 2 ** Math.max(0, attempt - 1);
}
