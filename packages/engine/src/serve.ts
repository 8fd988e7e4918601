/**
 * Serving flows (Prefect's `flow.serve()`): register deployments with the API and keep the process
 * as a worker that runs what the API hands it — scheduled runs, runs started from the dashboard or
 * the CLI, retries. Each run is claimed by exactly one worker (the API claims atomically).
 */
import { z } from 'zod';
import type { ClaimedRun, DeploymentSpec } from '@flowlight/schema';
import { FlowlightError, InvalidOptionError } from './errors.js';
import { ApiReporter } from './reporters/api.js';
import { engine } from './runtime.js';
import type { RunMeta } from './flow.js';
import type { State } from './state.js';

export interface ServeOptions {
  /** Deployment name. @default the flow's name */
  name?: string;
  description?: string;
  /** A cron expression (5 fields), read in `timezone`. */
  cron?: string;
  /** @default 'UTC' */
  timezone?: string;
  /** Or: a run every this many seconds. */
  intervalSeconds?: number;
  /** Default parameters: the flow's first argument. */
  parameters?: Record<string, unknown>;
  tags?: string[];
  /** Runs of this deployment at once; more wait as AwaitingConcurrencySlot. */
  concurrencyLimit?: number;
  /** A paused run may outlive its worker. @default false */
  allowSuspend?: boolean;
}

/** What `serve()` needs of a flow. */
export interface Servable {
  readonly name: string;
  readonly options: { parameters?: z.ZodType; description?: string; tags?: readonly string[] };
  runWith(meta: RunMeta, ...args: never[]): Promise<State>;
}

export interface DeploymentDef {
  flow: Servable;
  spec: DeploymentSpec;
}

export class WorkerError extends FlowlightError {
  override readonly code = 'WORKER';
  override name = 'WorkerError';
}

/** Builds the deployment of a flow; validates the schedule up front. */
export function toDeployment(flow: Servable, opts: ServeOptions = {}): DeploymentDef {
  const owner = `deployment of flow '${flow.name}'`;
  if (opts.cron !== undefined && opts.intervalSeconds !== undefined) {
    throw new InvalidOptionError('cron', 'give either cron or intervalSeconds, not both', owner);
  }
  if (opts.cron !== undefined && opts.cron.trim().split(/\s+/).length < 5) {
    throw new InvalidOptionError('cron', `"${opts.cron}" is not a cron expression (5 fields: minute hour day month weekday)`, owner);
  }
  if (opts.intervalSeconds !== undefined && !(opts.intervalSeconds >= 1)) {
    throw new InvalidOptionError('intervalSeconds', 'must be 1 or more', owner);
  }
  let parameterSchema: Record<string, unknown> | undefined;
  if (flow.options.parameters) {
    try {
      parameterSchema = z.toJSONSchema(flow.options.parameters, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
    } catch {
      parameterSchema = undefined;
    }
  }
  const spec: DeploymentSpec = {
    name: opts.name ?? flow.name,
    flowName: flow.name,
    parameters: opts.parameters ?? {},
    tags: opts.tags ?? [...(flow.options.tags ?? [])],
    allowSuspend: opts.allowSuspend ?? false,
  };
  const description = opts.description ?? flow.options.description;
  if (description) spec.description = description;
  if (parameterSchema) spec.parameterSchema = parameterSchema;
  if (opts.cron) spec.schedule = { cron: opts.cron, timezone: opts.timezone ?? 'UTC' };
  else if (opts.intervalSeconds) spec.schedule = { intervalSeconds: opts.intervalSeconds };
  if (opts.concurrencyLimit) spec.concurrencyLimit = opts.concurrencyLimit;
  return { flow, spec };
}

export interface WorkerOptions {
  /** Runs this worker executes at once. @default 10 */
  limit?: number;
  /** How often to ask for work. @default 1000 */
  pollMs?: number;
  /** @default `${hostname}-${pid}` */
  workerId?: string;
}

/** A process serving deployments. */
export class Worker {
  readonly id: string;
  /** deployment id → its definition, once registered. */
  readonly deployments = new Map<string, DeploymentDef>();
  private readonly active = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private release: (() => void) | undefined;
  private polling = false;
  private stopped = false;

  constructor(
    private readonly defs: DeploymentDef[],
    private readonly reporter: ApiReporter,
    private readonly opts: Required<WorkerOptions>,
  ) {
    this.id = opts.workerId;
  }

  /** Runs in progress on this worker. */
  get running(): number {
    return this.active.size;
  }

  /** @internal */
  async start(): Promise<void> {
    this.release = this.reporter.hold();
    await this.register();
    // after a reconnect (an API restart, maybe on a new database), register again
    this.reporter.onConnect(() => void this.register().catch(() => undefined));
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    void this.poll();
  }

  private async register(): Promise<void> {
    const res = await this.reporter.request('registerDeployments', this.defs.map((d) => d.spec));
    if ('error' in res) throw new WorkerError(`The API refused the deployments: ${res.error}`);
    for (const d of res.deployments) {
      const def = this.defs.find((x) => x.spec.name === d.name && x.spec.flowName === d.flowName);
      if (def) this.deployments.set(d.id, def);
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    const slots = this.opts.limit - this.active.size;
    if (slots <= 0 || this.deployments.size === 0) return;
    this.polling = true;
    try {
      const res = await this.reporter.request('claim', {
        workerId: this.id,
        deploymentIds: [...this.deployments.keys()],
        limit: slots,
      });
      if ('error' in res) return;
      for (const run of res.runs) this.execute(run);
    } catch {
      // API away: the reporter reconnects; try again next tick
    } finally {
      this.polling = false;
    }
  }

  private execute(run: ClaimedRun): void {
    const def = this.deployments.get(run.deploymentId);
    if (!def) return;
    const p = def.flow
      .runWith(
        {
          flowRunId: run.flowRunId,
          deploymentId: run.deploymentId,
          flowRunName: run.name,
          tags: run.tags,
          claimed: { nextSeq: run.nextSeq, retry: run.retry },
        },
        run.parameters as never,
      )
      .catch(() => undefined)
      .finally(() => {
        this.active.delete(p);
        void this.poll();
      });
    this.active.add(p);
  }

  /** Stops asking for work, waits for the runs in progress, releases the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.active]);
    await this.reporter.flush();
    this.release?.();
  }
}

/**
 * Registers the deployments and serves them until the process ends.
 * @example await serve(etl.toDeployment({ cron: '0 * * * *' }), report.toDeployment({ intervalSeconds: 60 }))
 */
export async function serve(...args: (DeploymentDef | WorkerOptions)[]): Promise<Worker> {
  const defs = args.filter((a): a is DeploymentDef => 'spec' in a && 'flow' in a);
  const opts = (args.find((a) => !('spec' in a)) ?? {}) as WorkerOptions;
  if (defs.length === 0) throw new WorkerError('serve() needs at least one deployment: serve(myFlow.toDeployment({ ... }))');
  const reporter = engine.reporter;
  if (!(reporter instanceof ApiReporter)) {
    throw new WorkerError(
      'serve() needs the Flowlight API: set FLOWLIGHT_API_URL (e.g. http://127.0.0.1:4200) or configure({ reporter: new ApiReporter({ url }) })',
    );
  }
  const worker = new Worker(defs, reporter, {
    limit: opts.limit ?? 10,
    pollMs: opts.pollMs ?? 1000,
    workerId: opts.workerId ?? `${(await import('node:os')).hostname()}-${process.pid}`,
  });
  await worker.start();
  return worker;
}
