// Engine side of the dashboard benchmarks: real flows in their own process, reporting to
// FLOWLIGHT_API_URL. One scenario per process (argv[2]); each prints JSON lines on stdout.
//   background  small flow runs (3 trivial tasks each = 12 state changes) paced to
//               FLOWLIGHT_BENCH_RATE state changes per second until SIGTERM
//   marker      FLOWLIGHT_BENCH_MARKERS flow runs one after the other, each Running for ~150 ms
//   big         one flow run with 10,000 trivial task runs that log 10 lines each (100,000 lines)
import { flow, getRunContext, getRunLogger, shutdown, task } from '@flowlight/engine';
import { BACKGROUND_TASKS, BACKGROUND_TRANSITIONS_PER_RUN } from './support.js';

const scenario = process.argv[2];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const say = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

const tiny = task({ name: 'tiny' }, (i: number) => i);
const logged = task({ name: 'logged' }, (i: number) => {
  const log = getRunLogger();
  for (let k = 0; k < 10; k++) log.info(`item ${i} step ${k}: processed ${(i * 7 + k) % 1000} records`);
  return i;
});

const background = flow({ name: 'bench-background' }, async (i: number) => {
  const futures = Array.from({ length: BACKGROUND_TASKS }, (_, k) => tiny.submit(i * 10 + k));
  for (const f of futures) await f.result();
});

const marker = flow({ name: 'bench-marker' }, async (ms: number) => {
  await sleep(ms);
  return getRunContext().flowRun.id;
});

const big = flow({ name: 'bench-big' }, async (n: number) => {
  say({ flowRunId: getRunContext().flowRun.id });
  for (let b = 0; b < n; b += 1000) {
    const futures = [];
    for (let i = b; i < Math.min(n, b + 1000); i++) futures.push(logged.submit(i));
    for (const f of futures) await f.result();
  }
});

async function runBackground(): Promise<void> {
  const rate = Number(process.env.FLOWLIGHT_BENCH_RATE ?? 1000);
  const runsPerSecond = rate / BACKGROUND_TRANSITIONS_PER_RUN;
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  const t0 = performance.now();
  let started = 0;
  let inFlight = 0;
  let done = 0;
  say({ started: true });
  while (!stopping) {
    const due = Math.floor(((performance.now() - t0) / 1000) * runsPerSecond);
    // Never pile up more than a second of work if the machine falls behind.
    while (started < due && inFlight < runsPerSecond) {
      inFlight++;
      void background(started++).finally(() => (inFlight--, done++));
    }
    await sleep(10);
  }
  while (inFlight > 0) await sleep(10);
  say({ runs: done, seconds: (performance.now() - t0) / 1000 });
}

async function runMarkers(): Promise<void> {
  const n = Number(process.env.FLOWLIGHT_BENCH_MARKERS ?? 50);
  for (let i = 0; i < n; i++) {
    say({ marker: await marker(150) });
    await sleep(100);
  }
}

const scenarios: Record<string, () => Promise<unknown>> = {
  background: runBackground,
  marker: runMarkers,
  big: () => big(Number(process.env.FLOWLIGHT_BENCH_TASKS ?? 10_000)),
};

const run = scenarios[scenario ?? ''];
if (!run) {
  console.error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
await run();
await shutdown();
