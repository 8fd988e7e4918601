/** Read routes of task runs. */
import { listLogsQuerySchema } from '@flowlight/schema';
import { NotFoundError } from '../errors.js';
import type { RouteRegistry } from '../http/registry.js';
import { idParam, type RouteContext } from './context.js';
import { sendLogs } from './logs.js';

export function taskRunRoutes(r: RouteRegistry, { store }: RouteContext): void {
  r.add(
    { method: 'get', path: '/api/task-runs/:id', tag: 'task runs', summary: 'One task run with its state history', response: 'TaskRunDetail' },
    (req, res) => {
      const id = idParam(req.params['id'], 'task run');
      const t = store.getTaskRunDetail(id);
      if (!t) throw new NotFoundError('task run', id);
      res.json(t);
    },
  );
  r.add(
    {
      method: 'get',
      path: '/api/task-runs/:id/logs',
      tag: 'logs',
      summary: 'Logs of one task run',
      query: listLogsQuerySchema,
      response: 'ListLogsResponse',
      produces: 'text/plain',
    },
    (req, res) => {
      const id = idParam(req.params['id'], 'task run');
      if (!store.getTaskRun(id)) throw new NotFoundError('task run', id);
      sendLogs(store, { taskRunId: id }, `task-run-${id}`, req, res);
    },
  );
}
