/**
 * Deployments (issue 5): a flow registered by a worker so the API can start it on a schedule or
 * on request, and the worker ↔ API protocol for claiming runs. Shared by engine, API, web, CLI.
 */
import { z } from 'zod';
import type { StateData } from './states.js';

export const scheduleSchema = z.union([
  z.object({
    cron: z.string().min(1).max(200),
    /** IANA time zone the cron expression is read in. @default 'UTC' */
    timezone: z.string().min(1).max(100).default('UTC'),
  }),
  z.object({ intervalSeconds: z.number().min(1).max(366 * 24 * 3600) }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

const jsonObject = z.record(z.string(), z.unknown());

/** What a worker registers for each flow it serves. (flowName, name) is unique. */
export const deploymentSpecSchema = z.object({
  name: z.string().min(1).max(200),
  flowName: z.string().min(1).max(500),
  description: z.string().max(10_000).optional(),
  schedule: scheduleSchema.optional(),
  /** Default parameters (the flow's first argument), merged under those of a run request. */
  parameters: jsonObject.default({}),
  /** JSON Schema of the parameters (from the flow's zod schema), for the dashboard's form. */
  parameterSchema: jsonObject.optional(),
  tags: z.array(z.string().min(1).max(200)).max(100).default([]),
  /** Runs of this deployment running at once; more wait as AwaitingConcurrencySlot. */
  concurrencyLimit: z.number().int().min(1).optional(),
  /** A paused run may outlive its worker (Suspended) instead of failing at its pause timeout. */
  allowSuspend: z.boolean().default(false),
});
export type DeploymentSpec = z.infer<typeof deploymentSpecSchema>;

export interface Deployment extends DeploymentSpec {
  id: string;
  /** Schedule switched off: no new scheduled runs; existing runs untouched. */
  paused: boolean;
  createdAt: number;
  updatedAt: number;
  /** Last time a worker serving it asked for work. */
  lastWorkerSeenAt: number | null;
  nextRuns: { id: string; name: string; expectedStartTime: number; state: StateData }[];
  lastRuns: { id: string; name: string; state: StateData; startTime: number | null }[];
}

export const createDeploymentRunBodySchema = z.object({
  parameters: jsonObject.optional(),
  flowRunName: z.string().min(1).max(500).optional(),
  /** Epoch ms; default now. A run never starts before it. */
  scheduledTime: z.number().int().nonnegative().optional(),
});
export type CreateDeploymentRunBody = z.infer<typeof createDeploymentRunBodySchema>;

export const patchDeploymentBodySchema = z.object({ paused: z.boolean() });

export const listDeploymentsQuerySchema = z.object({
  name: z.string().max(200).optional(),
  flow: z.string().max(500).optional(),
});

/** A run handed to a worker by `claim`: it is PENDING in the API, owned by that worker. */
export interface ClaimedRun {
  flowRunId: string;
  deploymentId: string;
  flowName: string;
  name: string;
  parameters: Record<string, unknown>;
  tags: string[];
  /** The engine continues the run's event sequence from here. */
  nextSeq: number;
  /** A re-run of a run that ended (first Running state is named Retrying). */
  retry: boolean;
}

export const claimRequestSchema = z.object({
  workerId: z.string().min(1).max(200),
  deploymentIds: z.array(z.string().min(1).max(128)).max(1000),
  limit: z.number().int().min(0).max(1000),
});
export type ClaimRequest = z.infer<typeof claimRequestSchema>;

/** Extra `/engine` socket events of workers (added to EngineClientToServer). */
export interface WorkerClientToServer {
  registerDeployments: (
    specs: DeploymentSpec[],
    ack: (res: { deployments: { id: string; name: string; flowName: string }[] } | { error: string }) => void,
  ) => void;
  claim: (req: ClaimRequest, ack: (res: { runs: ClaimedRun[] } | { error: string }) => void) => void;
}

/** How long after its scheduled time a Scheduled run that has not started becomes Late. */
export const LATE_AFTER_MS = 15_000;
