// Flows for the end-to-end tests, run by the engine in their own process against the API given by
// FLOWLIGHT_API_URL. Prints `flow-run <id>` as soon as the run exists, then exits when it ends.
import { flow, getRunContext, getRunLogger, shutdown, task } from '@flowlight/engine';

const scenario = process.argv[2];
const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => (clearTimeout(t), reject(signal!.reason));
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
const announce = () => console.log(`flow-run ${getRunContext().flowRun.id}`);

const step = task({ name: 'step' }, async (i: number, ms: number) => {
  await wait(ms, getRunContext().signal);
  getRunLogger().info(`step ${i} done`);
  return i;
});

function validateOrder(order: { qty: number }): number {
  if (order.qty <= 0) throw new RangeError(`order quantity must be positive, got ${order.qty}`);
  return order.qty;
}

let attempts = 0;
// a long retry delay: the page must see AwaitingRetry even when it loads slowly on a busy machine
const flaky = task({ name: 'flaky-fetch', retries: 1, retryDelaySeconds: 6 }, async () => {
  await wait(500);
  if (++attempts === 1) throw new Error('upstream answered 503');
  return 'payload';
});

const scenarios: Record<string, () => Promise<unknown>> = {
  /** Runs about `E2E_MS` (default 4 s), then completes. */
  steady: flow({ name: 'e2e-steady' }, async () => {
    announce();
    const ms = Number(process.env.E2E_MS ?? 4000);
    for (let i = 0; i < 4; i++) await step(i, ms / 4);
    return 'ok';
  }),
  failing: flow({ name: 'e2e-failing' }, async () => {
    announce();
    await step(0, 200);
    return validateOrder({ qty: -3 });
  }),
  /** Many short sequential steps: long enough to pause, resume or cancel. */
  long: flow({ name: 'e2e-long' }, async () => {
    announce();
    for (let i = 0; i < Number(process.env.E2E_STEPS ?? 40); i++) await step(i, 250);
    return 'finished';
  }),
  retrying: flow({ name: 'e2e-retrying' }, async () => {
    announce();
    return flaky();
  }),
  logs: flow({ name: 'e2e-logs' }, async () => {
    announce();
    const log = getRunLogger();
    log.debug('debug: cache warmed');
    log.info('info: loaded 42 rows from warehouse');
    log.warning('warning: 3 rows had missing prices');
    log.error('error: could not reach pricing-service');
    log.info('info: wrote report to s3://reports/daily.csv');
    return 'logged';
  }),
};

const run = scenarios[scenario ?? ''];
if (!run) {
  console.error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
await run().catch(() => undefined);
await shutdown();
