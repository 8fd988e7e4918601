/**
 * Per task run overhead of the engine, beside a bare `await` of the same function measured in the
 * same run: 100,000 trivial tasks called in sequence inside one flow, and 100,000 submitted in
 * batches of 1,000. Then the heap, to show completed runs are not kept beyond the sink.
 * Run: pnpm --filter @flowlight/engine bench   (N=... to change the count)
 */
import { configure, flow, task, type Reporter } from '../src/index.js';
import { MemoryReporter } from '../src/reporters/memory.js';
import type { FlowlightEvent } from '@flowlight/schema';

const N = Number(process.env.N ?? 100_000);
const BATCH = 1000;

class CountingReporter implements Reporter {
  count = 0;
  emit(_e: FlowlightEvent) {
    this.count++;
  }
  flush() {
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

const work = async (i: number) => i + 1;
const trivial = task({ name: 'trivial' }, work);

async function bare(): Promise<number> {
  const t0 = performance.now();
  let acc = 0;
  for (let i = 0; i < N; i++) acc += await work(i);
  if (acc < 0) console.log(acc);
  return performance.now() - t0;
}

const sequential = flow({ name: 'bench-sequential' }, async () => {
  let acc = 0;
  for (let i = 0; i < N; i++) acc += await trivial(i);
  return acc;
});

const batched = flow({ name: 'bench-batched' }, async () => {
  let acc = 0;
  for (let b = 0; b < N; b += BATCH) {
    const futures = [];
    for (let i = b; i < b + BATCH; i++) futures.push(trivial.submit(i));
    for (const f of futures) acc += await f.result();
  }
  return acc;
});

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

const counting = new CountingReporter();
configure({ reporter: counting, printLogs: false });
// warm up JIT
await bare();
await sequential();
await batched();

const heapBefore = heapMb();
const baseline = Math.min(await bare(), await bare());
const seq = Math.min(await time(sequential), await time(sequential));
const bat = Math.min(await time(batched), await time(batched));
const heapAfter = heapMb();

const memory = new MemoryReporter();
configure({ reporter: memory });
const seqMem = await time(sequential);
const heapWithMemorySink = heapMb();

const us = (ms: number) => ((ms * 1000) / N).toFixed(3);
console.log(`engine overhead, ${N.toLocaleString()} trivial task runs (best of 2)`);
console.log(`  baseline: bare await of the same function      ${us(baseline)} µs/call`);
console.log(`  sequential task calls in one flow (null sink)   ${us(seq)} µs/run   overhead ${us(seq - baseline)} µs/run   (${(seq / baseline).toFixed(1)}x baseline)`);
console.log(`  submitted in batches of ${BATCH} (null sink)      ${us(bat)} µs/run   overhead ${us(bat - baseline)} µs/run`);
console.log(`  sequential with the in-memory sink (keeps all)  ${us(seqMem)} µs/run   (${memory.events.length.toLocaleString()} events kept)`);
console.log(`  heap: ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after ${(4 * N).toLocaleString()} runs with a null sink, ${heapWithMemorySink.toFixed(1)} MB with the memory sink holding its events`);
console.log(`  goal: ≤ 2 µs overhead per task run; Prefect measures ~31,000 µs per task call`);
