import { createSqliteStore } from '../src/store/sqlite/index.js';
import { listFlowRunsQuerySchema } from '@flowlight/schema';
const store = createSqliteStore({ path: process.argv[2]! });
const T0 = Date.now() - 30 * 86400000;
const FILTERS = ['stateType=FAILED,CRASHED','flow=flow-7','stateType=COMPLETED&flow=flow-3,flow-4','tag=tag-2','stateType=RUNNING,PENDING,PAUSED','',`startAfter=${T0 + 10 * 86400000}&startBefore=${T0 + 12 * 86400000}`,'stateName=Scheduled&sort=start_asc'];
for (const sort of ['start_desc','end_desc','duration_desc','name_asc']) for (const f of FILTERS) {
  const q = listFlowRunsQuerySchema.parse({ sort, ...Object.fromEntries(new URLSearchParams(f)), limit: 50 });
  store.listFlowRuns(q);
  const t = performance.now(); for (let i = 0; i < 5; i++) store.listFlowRuns(q); const ms = (performance.now() - t) / 5;
  console.log(ms.toFixed(2).padStart(7), sort, f || '(none)');
}
