/**
 * Deployment operations the REST routes call: start a run (parameters merged over the defaults
 * and checked against the deployment's parameter schema), pause/resume the schedule, delete.
 * Each write is one transaction in the store; the deltas go out after it.
 */
import { validateParameters, type CreateDeploymentRunBody, type Deployment, type FlowRunSummary } from '@flowlight/schema';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { DeltaHub } from '../live/deltaHub.js';
import type { Store } from '../store/types.js';

export function createDeploymentService(store: Store, hub: DeltaHub, now: () => number = Date.now) {
  const get = (id: string): Deployment => {
    const d = store.deployments.get(id);
    if (!d) throw new NotFoundError('deployment', id);
    return d;
  };

  function run(id: string, body: CreateDeploymentRunBody): FlowRunSummary {
    const d = get(id);
    const parameters = { ...d.parameters, ...body.parameters };
    const issues = validateParameters(d.parameterSchema, parameters);
    if (issues.length) throw new BadRequestError(`Invalid parameters for ${d.flowName}/${d.name}`, issues);
    const out = store.deployments.createRun(id, {
      parameters,
      name: body.flowRunName,
      scheduledTime: body.scheduledTime ?? now(),
      message: body.scheduledTime && body.scheduledTime > now() ? 'Run requested for later' : 'Run requested',
    });
    if (!out) throw new NotFoundError('deployment', id);
    hub.publish(out.changes);
    return out.run;
  }

  function setPaused(id: string, paused: boolean): Deployment {
    const out = store.deployments.setPaused(id, paused);
    if (!out) throw new NotFoundError('deployment', id);
    hub.publish(out.changes);
    return out.deployment;
  }

  function remove(id: string): { ok: true; message: string } {
    const changes = store.deployments.remove(id);
    if (!changes) throw new NotFoundError('deployment', id);
    hub.publish(changes);
    return { ok: true, message: 'deployment deleted; its waiting runs were removed, its past runs are kept' };
  }

  return { get, run, setPaused, remove };
}
export type DeploymentService = ReturnType<typeof createDeploymentService>;
