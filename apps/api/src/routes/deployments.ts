/** Deployments: list, one, start a run, schedule on/off, delete. */
import {
  createDeploymentRunBodySchema,
  listDeploymentsQuerySchema,
  patchDeploymentBodySchema,
} from '@flowlight/schema';
import type { RouteRegistry } from '../http/registry.js';
import { parse } from '../http/validate.js';
import type { DeploymentService } from '../services/deployments.js';
import { idParam, type RouteContext } from './context.js';

export function deploymentRoutes(r: RouteRegistry, { store }: RouteContext, deployments: DeploymentService): void {
  r.add(
    {
      method: 'get',
      path: '/api/deployments',
      tag: 'deployments',
      summary: 'Deployments with their next and last runs, by flow and name',
      query: listDeploymentsQuerySchema,
      response: 'Deployment[]',
    },
    (req, res) => {
      res.json(store.deployments.list(parse(listDeploymentsQuerySchema, req.query, 'query')));
    },
  );
  r.add(
    { method: 'get', path: '/api/deployments/:id', tag: 'deployments', summary: 'One deployment', response: 'Deployment' },
    (req, res) => {
      res.json(deployments.get(idParam(req.params['id'], 'deployment')));
    },
  );
  r.add(
    {
      method: 'post',
      path: '/api/deployments/:id/run',
      tag: 'deployments',
      summary:
        'Start a run now or at scheduledTime: parameters merged over the defaults and checked against the parameter schema (400 names the field); answers 201 with the run',
      body: createDeploymentRunBodySchema,
      response: 'FlowRunSummary',
      status: 201,
    },
    (req, res) => {
      const id = idParam(req.params['id'], 'deployment');
      res.status(201).json(deployments.run(id, parse(createDeploymentRunBodySchema, req.body ?? {}, 'body')));
    },
  );
  r.add(
    {
      method: 'patch',
      path: '/api/deployments/:id',
      tag: 'deployments',
      summary: "Switch the schedule off ({ paused: true }: no new runs, the schedule's not-yet-due runs are removed) or on",
      body: patchDeploymentBodySchema,
      response: 'Deployment',
    },
    (req, res) => {
      const id = idParam(req.params['id'], 'deployment');
      res.json(deployments.setPaused(id, parse(patchDeploymentBodySchema, req.body, 'body').paused));
    },
  );
  r.add(
    {
      method: 'delete',
      path: '/api/deployments/:id',
      tag: 'deployments',
      summary: 'Delete a deployment: its waiting runs that never started are removed, waiting re-runs cancelled; other runs stay',
      response: '{ ok, message }',
    },
    (req, res) => {
      res.json(deployments.remove(idParam(req.params['id'], 'deployment')));
    },
  );
}
