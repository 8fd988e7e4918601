/**
 * The worker side of the `/engine` namespace (issue 5): `registerDeployments(specs, ack)` upserts
 * deployments by (flowName, name) and answers their ids; `claim(req, ack)` hands out due runs
 * (one SQLite transaction per claim, so two workers never get the same run). Bad input is answered
 * with `{ error }`, never thrown. A claimed run's process attaches to its room by itself when it
 * starts the run, as any engine does, so commands reach it.
 */
import { z } from 'zod';
import { claimRequestSchema, deploymentSpecSchema, type WorkerClientToServer } from '@flowlight/schema';
import type { DeltaHub } from '../live/deltaHub.js';
import type { Logger } from '../logger.js';
import { scheduleProblem } from '../services/schedule.js';
import type { Store } from '../store/types.js';
import type { EngineNamespace } from './engine.js';

const specsSchema = z.array(deploymentSpecSchema).min(1).max(1000);

type Ack<E extends keyof WorkerClientToServer> = Parameters<WorkerClientToServer[E]>[1];

const describe = (issues: z.core.$ZodIssue[]): string =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`)
    .join('; ');

export function attachWorkerHandlers(nsp: EngineNamespace, store: Store, hub: DeltaHub, logger: Logger): void {
  nsp.on('connection', (socket) => {
    // The engine's typed map covers events; the worker protocol is a separate map of the same socket.
    const s = socket as unknown as {
      on(event: string, listener: (payload: unknown, ack: unknown) => void): void;
    };
    const replier = <E extends keyof WorkerClientToServer>(ack: unknown): Ack<E> =>
      (typeof ack === 'function' ? ack : () => {}) as Ack<E>;

    s.on('registerDeployments', (payload, ack) => {
      const reply = replier<'registerDeployments'>(ack);
      try {
        const parsed = specsSchema.safeParse(payload);
        if (!parsed.success) return reply({ error: `invalid deployments: ${describe(parsed.error.issues)}` });
        for (const [i, spec] of parsed.data.entries()) {
          const why = spec.schedule && scheduleProblem(spec.schedule);
          if (why) return reply({ error: `invalid deployments: ${i}.schedule (${spec.flowName}/${spec.name}): ${why}` });
        }
        const out = store.deployments.register(parsed.data);
        hub.publish(out.changes);
        logger.info('deployments registered', { socket: socket.id, deployments: out.deployments.map((d) => `${d.flowName}/${d.name}`) });
        reply({ deployments: out.deployments });
      } catch (err) {
        logger.error('registerDeployments failed', { err });
        reply({ error: 'the API could not store the deployments; see its log' });
      }
    });

    s.on('claim', (payload, ack) => {
      const reply = replier<'claim'>(ack);
      try {
        const parsed = claimRequestSchema.safeParse(payload);
        if (!parsed.success) return reply({ error: `invalid claim: ${describe(parsed.error.issues)}` });
        const out = store.deployments.claim(parsed.data);
        hub.publish(out.changes);
        reply({ runs: out.runs });
      } catch (err) {
        logger.error('claim failed', { err });
        reply({ error: 'the API could not claim runs; see its log' });
      }
    });
  });
}
