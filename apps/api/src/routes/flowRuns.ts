/** Read routes of flow runs: the filtered list, one run, its task runs and its logs. */
import { listFlowRunsQuerySchema, listLogsQuerySchema } from '@flowlight/schema';
import { NotFoundError } from '../errors.js';
import type { RouteRegistry } from '../http/registry.js';
import { parse } from '../http/validate.js';
import { idParam, type RouteContext } from './context.js';
import { sendLogs } from './logs.js';

export function flowRunRoutes(r: RouteRegistry, { store }: RouteContext): void {
  r.add(
    {
      method: 'get',
      path: '/api/flow-runs',
      tag: 'flow runs',
      summary: 'List flow runs: filters, sort, keyset cursor, counts per state type for the chips',
      query: listFlowRunsQuerySchema,
      response: 'ListFlowRunsResponse',
    },
    (req, res) => {
      res.json(store.listFlowRuns(parse(listFlowRunsQuerySchema, req.query, 'query')));
    },
  );
  r.add(
    { method: 'get', path: '/api/flow-runs/:id', tag: 'flow runs', summary: 'One flow run with history, error, parent and children', response: 'FlowRunDetail' },
    (req, res) => {
      const id = idParam(req.params['id'], 'flow run');
      const run = store.getFlowRunDetail(id);
      if (!run) throw new NotFoundError('flow run', id);
      res.json(run);
    },
  );
  r.add(
    { method: 'get', path: '/api/flow-runs/:id/task-runs', tag: 'flow runs', summary: 'Task runs of a flow run', response: 'TaskRunSummary[]' },
    (req, res) => {
      const id = idParam(req.params['id'], 'flow run');
      if (!store.currentState(id)) throw new NotFoundError('flow run', id);
      res.json(store.listTaskRuns(id));
    },
  );
  r.add(
    {
      method: 'get',
      path: '/api/flow-runs/:id/logs',
      tag: 'logs',
      summary: 'Logs of a flow run (and its tasks): level, full-text search, cursor both ways, format=text to download',
      query: listLogsQuerySchema,
      response: 'ListLogsResponse',
      produces: 'text/plain',
    },
    (req, res) => {
      const id = idParam(req.params['id'], 'flow run');
      if (!store.currentState(id)) throw new NotFoundError('flow run', id);
      sendLogs(store, { flowRunId: id }, `flow-run-${id}`, req, res);
    },
  );
}
