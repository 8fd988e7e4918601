// The engine side of the ingest benchmark: N trivial task runs submitted in batches, reported to
// FLOWLIGHT_API_URL; prints the time from the first event to the last one acknowledged (persisted).
import { flow, shutdown, task } from '@flowlight/engine';

const N = Number(process.argv[2] ?? 50_000);
const trivial = task({ name: 'trivial' }, (i: number) => i);
const bench = flow({ name: 'ingest-bench' }, async () => {
  for (let b = 0; b < N; b += 1000) {
    const futures = [];
    for (let i = b; i < Math.min(N, b + 1000); i++) futures.push(trivial.submit(i));
    for (const f of futures) await f.result();
  }
});
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await bench();
await shutdown();
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }));
