/**
 * Run commands. Pause/resume/cancel are recorded durably, then pushed to the engine hosting the
 * run; when delivered the engine reports the resulting state itself. With no engine attached,
 * cancel resolves the run directly as Cancelled and pause/resume answer 409. Retry, set-state and
 * delete are written by the API.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_NAME,
  isTerminalType,
  TYPE_OF_NAME,
  type Command,
  type CommandKind,
  type CommandResponse,
  type SetStateBody,
  type StateData,
} from '@flowlight/schema';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { DeltaHub } from '../live/deltaHub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';

export type Deliver = (cmd: Command) => Promise<{ ok: boolean; message?: string }[]>;

const REQUIRED = {
  pause: { ok: (s: StateData) => s.type === 'RUNNING', why: 'only a Running run can be paused' },
  resume: { ok: (s: StateData) => s.type === 'PAUSED', why: 'only a Paused run can be resumed' },
  cancel: { ok: (s: StateData) => !isTerminalType(s.type), why: 'a finished run cannot be cancelled' },
} as const satisfies Record<CommandKind, { ok: (s: StateData) => boolean; why: string }>;

export function createCommandService(store: Store, hub: DeltaHub, deliver: Deliver, logger: Logger, now: () => number = Date.now) {
  const current = (id: string): StateData => {
    const s = store.currentState(id);
    if (!s) throw new NotFoundError('flow run', id);
    return s;
  };

  async function command(id: string, kind: CommandKind, reason?: string): Promise<CommandResponse> {
    const state = current(id);
    const rule = REQUIRED[kind];
    if (!rule.ok(state)) throw new ConflictError(`cannot ${kind} a ${state.name} run: ${rule.why}`);
    const cmd: Command = { id: randomUUID(), flowRunId: id, command: kind, requestedAt: now() };
    if (reason !== undefined) cmd.reason = reason;
    store.recordCommand(cmd);
    const answers = await deliver(cmd);
    if (answers.some((a) => a.ok)) {
      store.finishCommand(cmd.id, true, 'acknowledged by the engine');
      return { ok: true, delivered: true, message: `${kind} delivered to the run's process`, state: current(id) };
    }
    if (answers.length) {
      const why = answers.map((a) => a.message ?? 'refused').join('; ');
      store.finishCommand(cmd.id, false, `refused: ${why}`);
      throw new ConflictError(`the run's process refused to ${kind}: ${why}`);
    }
    if (kind === 'resume' && state.name === 'Suspended') {
      // A suspended run's process is gone by definition: the next claim of a worker runs it again.
      const out = store.writeFlowRunState(id, {
        type: 'SCHEDULED',
        name: 'Scheduled',
        timestamp: now(),
        message: 'Resumed: a worker serving its deployment runs it again',
      });
      if (!out.ok) {
        store.finishCommand(cmd.id, false, `not applied: ${out.reason}`);
        throw new ConflictError(out.reason);
      }
      store.deployments.startNow(id);
      store.finishCommand(cmd.id, false, 'resumed a suspended run: rescheduled');
      hub.publish(out.changes);
      return { ok: true, delivered: false, message: 'resumed: the run goes back to a worker', state: out.state };
    }
    if (kind !== 'cancel') {
      store.finishCommand(cmd.id, false, 'not delivered: process not connected');
      throw new ConflictError(`cannot ${kind}: the run's process is not connected to the API`);
    }
    const message = "Cancelled: the run's process was not connected, so the API cancelled it directly";
    const out = store.writeFlowRunState(
      id,
      { type: 'CANCELLED', name: 'Cancelled', message, timestamp: now() },
      { cascadeTasks: 'CANCELLED' },
    );
    if (!out.ok) {
      store.finishCommand(cmd.id, false, `not applied: ${out.reason}`);
      throw new ConflictError(out.reason);
    }
    store.finishCommand(cmd.id, false, 'resolved directly as Cancelled');
    hub.publish(out.changes);
    logger.info('cancelled a disconnected run directly', { flowRunId: id });
    return { ok: true, delivered: false, message, state: out.state };
  }

  function retry(id: string): CommandResponse {
    const state = current(id);
    if (!isTerminalType(state.type)) throw new ConflictError(`cannot retry a ${state.name} run: only a finished run can be retried`);
    const deploymentId = store.getFlowRunDeploymentId(id);
    if (!deploymentId) {
      throw new ConflictError(
        'cannot retry: retry needs a deployment, and this run was started directly by a script — run the script again',
      );
    }
    if (!store.deployments.get(deploymentId)) {
      throw new ConflictError('cannot retry: the deployment of this run was deleted; serve the flow again');
    }
    const params = store.getFlowRunDetail(id)?.parameters;
    if (params && !params.exact) {
      throw new ConflictError(
        'cannot retry: the run\'s parameters were not plain JSON (only a preview was kept), so a re-run could not use them; start a new run with parameters',
      );
    }
    const out = store.writeFlowRunState(id, {
      type: 'SCHEDULED',
      name: 'AwaitingRetry',
      message: 'Retry requested from the API',
      timestamp: now(),
    });
    if (!out.ok) throw new ConflictError(out.reason);
    store.deployments.startNow(id); // the next claim of a worker serving the deployment re-runs it
    hub.publish(out.changes);
    return { ok: true, delivered: false, message: 'retry scheduled', state: out.state };
  }

  function setState(id: string, body: SetStateBody): CommandResponse {
    current(id);
    const name = body.name ?? DEFAULT_NAME[body.type];
    if (TYPE_OF_NAME[name] !== body.type) {
      throw new BadRequestError('Invalid request body', [{ path: 'name', message: `${name} is not a ${body.type} state name` }]);
    }
    const state: StateData = { type: body.type, name, timestamp: now(), message: body.message ?? `Set to ${name} from the API` };
    const out = store.writeFlowRunState(id, state, { force: true, cascadeTasks: 'CANCELLED' });
    if (!out.ok) throw new ConflictError(out.reason);
    hub.publish(out.changes);
    // a process still running it stops its user code (its later events are refused as stale)
    const stop: Command = { id: randomUUID(), flowRunId: id, command: 'cancel', requestedAt: now(), reason: `State set to ${name} from the API` };
    void deliver(stop).catch(() => undefined);
    return { ok: true, delivered: false, message: `state set to ${name}`, state: out.state };
  }

  function remove(id: string): { ok: true; message: string } {
    const changes = store.deleteFlowRun(id);
    if (!changes) throw new NotFoundError('flow run', id);
    hub.publish(changes);
    return { ok: true, message: 'deleted' };
  }

  return { command, retry, setState, remove };
}
export type CommandService = ReturnType<typeof createCommandService>;
