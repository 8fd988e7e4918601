/** Commands on one flow run: pause, resume, cancel (through the engine), retry, set-state, delete. */
import { commandBodySchema, setStateBodySchema, type CommandKind } from '@flowlight/schema';
import type { RouteRegistry } from '../http/registry.js';
import { parse } from '../http/validate.js';
import { idParam, type RouteContext } from './context.js';

const ENGINE_COMMANDS = ['pause', 'resume', 'cancel'] as const satisfies readonly CommandKind[];

export function commandRoutes(r: RouteRegistry, { commands }: RouteContext): void {
  for (const kind of ENGINE_COMMANDS) {
    r.add(
      {
        method: 'post',
        path: `/api/flow-runs/:id/${kind}`,
        tag: 'commands',
        summary: `Ask the run's process to ${kind}; 409 when the run is in the wrong state${kind === 'cancel' ? ' (a disconnected run is cancelled directly)' : ' or its process is not connected'}`,
        body: commandBodySchema,
        response: 'CommandResponse',
      },
      async (req, res) => {
        const id = idParam(req.params['id'], 'flow run');
        const body = parse(commandBodySchema, req.body, 'body');
        res.json(await commands.command(id, kind, body?.reason));
      },
    );
  }
  r.add(
    {
      method: 'post',
      path: '/api/flow-runs/:id/retry',
      tag: 'commands',
      summary: 'Retry a finished run of a deployment (AwaitingRetry); 409 without a deployment',
      response: 'CommandResponse',
    },
    (req, res) => {
      res.json(commands.retry(idParam(req.params['id'], 'flow run')));
    },
  );
  r.add(
    {
      method: 'post',
      path: '/api/flow-runs/:id/set-state',
      tag: 'commands',
      summary: 'Force a terminal state with a message',
      body: setStateBodySchema,
      response: 'CommandResponse',
    },
    (req, res) => {
      const id = idParam(req.params['id'], 'flow run');
      res.json(commands.setState(id, parse(setStateBodySchema, req.body, 'body')));
    },
  );
  r.add(
    { method: 'delete', path: '/api/flow-runs/:id', tag: 'commands', summary: 'Delete a run with its task runs, states and logs', response: '{ ok, message }' },
    (req, res) => {
      res.json(commands.remove(idParam(req.params['id'], 'flow run')));
    },
  );
}
