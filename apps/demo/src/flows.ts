/**
 * Example flows ported from the seed document (shared/seed): a mapped data pipeline, a flow with
 * an onCompletion notifier, a resilient flow whose flaky fetch retries and falls back, an
 * error-prone flow with onFailure, a flow that pauses for approval, and a long-running flow with
 * many tasks. The demo worker runs them on short intervals so a first start shows a living system.
 */
import { flow, getRunContext, getRunLogger, pause, task, unmapped } from '@flowlight/engine';
import { z } from 'zod';

/** Waits `ms`, or rejects as soon as the run is cancelled (its signal aborts). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => (clearTimeout(t), reject(signal!.reason));
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

// 1. Mapped data pipeline: process every element in parallel, then summarise.
const processData = task({ name: 'process-data', tags: ['etl'] }, async (data: number, factor: number) => {
  await sleep(150 + Math.random() * 400, getRunContext().signal);
  return data * factor;
});
export const dataPipeline = flow(
  { name: 'data-pipeline', tags: ['etl', 'demo'], parameters: z.object({ data: z.array(z.number()), factor: z.number().default(2) }) },
  async (params: { data: number[]; factor?: number }) => {
    const processed = processData.map(params.data, unmapped(params.factor ?? 2));
    const results = await processed.result();
    getRunLogger().info(`all tasks succeeded, results: ${results.join(', ')}`);
    return results;
  },
);

// 2. onCompletion: notify once every task has succeeded.
const cleanup = task({ name: 'cleanup' }, async () => {
  await sleep(200);
  getRunLogger().info('temporary files removed');
});
export const nightlyReport = flow(
  {
    name: 'nightly-report',
    parameters: z.object({ recipient: z.string().email().default('team@example.com') }).default({ recipient: 'team@example.com' }),
    tags: ['demo'],
    onCompletion: [(f) => getRunLogger().info(`${f.name}: all tasks succeeded, sending notification`)],
  },
  async (params?: { recipient?: string }) => {
    await cleanup();
    getRunLogger().info(`report goes to ${params?.recipient ?? 'team@example.com'}`);
    return { rows: Math.floor(Math.random() * 1000) };
  },
);

// 3. Resilient flow: fetch-data fails ~50% of the time, retries twice, then falls back to backup.
const fetchData = task({ name: 'fetch-data', retries: 2, retryDelaySeconds: 1, tags: ['io'] }, async () => {
  await sleep(300);
  if (Math.random() < 0.5) throw new Error('data fetch failed: upstream answered 503');
  return 'data';
});
const backupData = task({ name: 'backup-data' }, async () => 'backup data');
export const resilientFlow = flow({ name: 'resilient-flow', tags: ['demo'] }, async () => {
  let data: string;
  try {
    data = await fetchData();
  } catch (e) {
    getRunLogger().warning(`main task failed, using backup data: ${(e as Error).message}`);
    data = await backupData();
  }
  getRunLogger().info(`final data: ${data}`);
  return data;
});

// 4. Error-prone flow with a global onFailure handler.
function parseInvoice(raw: string): { total: number } {
  const total = Number(raw.split(':')[1]);
  if (Number.isNaN(total)) throw new RangeError(`invoice total is not a number: ${JSON.stringify(raw)}`);
  return { total };
}
const loadInvoices = task({ name: 'load-invoices' }, async () => {
  await sleep(200);
  return ['total:12', 'total:oops'].map(parseInvoice);
});
export const errorProneFlow = flow(
  {
    name: 'error-prone-flow',
    tags: ['demo', 'billing'],
    onFailure: [(f, _run, state) => getRunLogger().error(`flow ${f.name} failed! state: ${state.name}`)],
  },
  async () => {
    getRunLogger().info('loading invoices');
    return loadInvoices();
  },
);

// 5. Waits for a person: pauses until resumed from the dashboard (fails after 2 minutes).
const prepareRelease = task({ name: 'prepare-release' }, async () => {
  await sleep(500);
  return 'v1.2.3';
});
const publish = task({ name: 'publish' }, async (version: string) => {
  await sleep(300);
  getRunLogger().info(`published ${version}`);
});
export const approvalFlow = flow({ name: 'release-approval', tags: ['demo', 'human-in-the-loop'] }, async () => {
  const version = await prepareRelease();
  getRunLogger().warning(`release ${version} is waiting for approval: press Resume in the dashboard`);
  await pause({ timeoutSeconds: 120, message: `Waiting for approval of ${version}` });
  await publish(version);
  return version;
});

// 6. Long-running flow with many tasks, a few of which retry.
const crunch = task({ name: 'crunch-chunk', retries: 1, retryDelaySeconds: 0.5 }, async (chunk: number) => {
  await sleep(100 + Math.random() * 600, getRunContext().signal);
  if (Math.random() < 0.03) throw new Error(`chunk ${chunk} hit a transient error`);
  if (chunk % 25 === 0) getRunLogger().info(`chunk ${chunk} done`);
  return chunk;
});
export const longRunningFlow = flow(
  {
    name: 'long-running-flow',
    tags: ['demo', 'batch'],
    maxConcurrency: 6,
    parameters: z.object({ chunks: z.number().int().min(1).max(10_000).describe('How many chunks to crunch') }),
  },
  async ({ chunks }: { chunks: number }) => {
    const futures = crunch.map(Array.from({ length: chunks }, (_, i) => i));
    const states = await futures.wait();
    const failed = states.filter((s) => !s.isCompleted()).length;
    getRunLogger().info(`${chunks - failed} of ${chunks} chunks processed`);
    return { processed: chunks - failed, failed };
  },
);

// 7. State inspection of a submitted task.
const criticalTask = task({ name: 'critical-task' }, async () => {
  getRunLogger().warning('this is an important task');
  await sleep(250);
  return 42;
});
export const stateInspectionFlow = flow({ name: 'state-inspection-flow', tags: ['demo'] }, async () => {
  const future = criticalTask.submit();
  const log = getRunLogger();
  log.info(`task completed? ${future.isCompleted()}`);
  log.info(`task result: ${await future.result()}`);
  log.info(`task completed? ${future.isCompleted()}`);
});
