/**
 * The demo worker: runs the example flows on short, staggered intervals against the API given by
 * FLOWLIGHT_API_URL, so the dashboard fills with green, red, yellow and blue runs within a minute.
 */
import { shutdown } from '@flowlight/engine';
import {
  approvalFlow,
  dataPipeline,
  errorProneFlow,
  longRunningFlow,
  nightlyReport,
  resilientFlow,
  stateInspectionFlow,
} from './flows.js';

const schedule: { every: number; first: number; run: () => Promise<unknown> }[] = [
  { every: 20, first: 1, run: () => dataPipeline({ data: [1, 2, 3, 4, 5, 6], factor: 2 }) },
  { every: 30, first: 2, run: () => nightlyReport() },
  { every: 15, first: 3, run: () => resilientFlow() },
  { every: 40, first: 5, run: () => errorProneFlow() },
  { every: 90, first: 7, run: () => approvalFlow() },
  { every: 60, first: 4, run: () => longRunningFlow(120) },
  { every: 45, first: 9, run: () => stateInspectionFlow() },
];

const timers: NodeJS.Timeout[] = [];
for (const s of schedule) {
  const fire = () => void s.run().catch(() => undefined); // failures are the point of some demos
  timers.push(setTimeout(() => (fire(), timers.push(setInterval(fire, s.every * 1000))), s.first * 1000));
}
console.log(`[demo] running ${schedule.length} example flows against ${process.env.FLOWLIGHT_API_URL}`);
process.once('disconnect', () => {
  for (const t of timers) clearTimeout(t);
  void shutdown().finally(() => process.exit(0));
});
