/**
 * The demo worker: serves the example flows as deployments on short schedules against the API
 * given by FLOWLIGHT_API_URL, so the dashboard fills with green, red, yellow and blue runs within
 * a minute, and the Deployments page can start them with parameters.
 */
import { serve } from '@flowlight/engine';
import {
  approvalFlow,
  dataPipeline,
  errorProneFlow,
  longRunningFlow,
  nightlyReport,
  resilientFlow,
  stateInspectionFlow,
} from './flows.js';

const worker = await serve(
  dataPipeline.toDeployment({ name: 'every-20s', intervalSeconds: 20, parameters: { data: [1, 2, 3, 4, 5, 6], factor: 2 } }),
  nightlyReport.toDeployment({ name: 'every-30s', intervalSeconds: 30, parameters: { recipient: 'team@example.com' } }),
  resilientFlow.toDeployment({ name: 'every-15s', intervalSeconds: 15 }),
  errorProneFlow.toDeployment({ name: 'every-40s', intervalSeconds: 40 }),
  approvalFlow.toDeployment({ name: 'every-90s', intervalSeconds: 90 }),
  longRunningFlow.toDeployment({ name: 'every-60s', intervalSeconds: 60, parameters: { chunks: 300 } }),
  stateInspectionFlow.toDeployment({ name: 'every-45s', intervalSeconds: 45 }),
);
console.log(`[demo] worker ${worker.id} serving ${worker.deployments.size} deployments of the example flows on ${process.env.FLOWLIGHT_API_URL}`);
// Start each deployment once right away (schedules fire from one interval after registration),
// so a first start shows every kind of run within a minute.
const api = process.env.FLOWLIGHT_API_URL!.replace(/\/+$/, '');
let delay = 0;
for (const id of worker.deployments.keys()) {
  setTimeout(() => {
    fetch(`${api}/api/deployments/${id}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(process.env.FLOWLIGHT_API_KEY ? { authorization: `Bearer ${process.env.FLOWLIGHT_API_KEY}` } : {}) },
      body: '{}',
    }).catch(() => undefined);
  }, (delay += 700));
}
process.once('disconnect', () => void worker.stop().finally(() => process.exit(0)));
