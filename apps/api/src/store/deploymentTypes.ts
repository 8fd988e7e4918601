/**
 * The repository contract of deployments (issue 5): registration by workers, the atomic claim of
 * due runs, the runs a schedule creates ahead of time, Late marking, pause and delete. Part of
 * `Store` (store.deployments); a PostgreSQL store would claim with `FOR UPDATE SKIP LOCKED`.
 */
import type { ClaimedRun, ClaimRequest, Deployment, DeploymentSpec, FlowRunSummary, Schedule } from '@flowlight/schema';
import type { ChangeSet } from './types.js';

export interface DeploymentRow {
  id: string;
  flow_name: string;
  name: string;
  description: string | null;
  schedule: string | null;
  schedule_anchor: number | null;
  parameters: string;
  parameter_schema: string | null;
  tags: string;
  concurrency_limit: number | null;
  allow_suspend: number;
  paused: number;
  created_at: number;
  updated_at: number;
  last_worker_seen_at: number | null;
}

export interface CreateRunInput {
  /** Already merged over the deployment's defaults and validated. */
  parameters: Record<string, unknown>;
  name?: string | undefined;
  /** Epoch ms the run may start at (never before). */
  scheduledTime: number;
  message?: string;
}

export interface DeploymentStore {
  /** Inserts or updates each spec by (flowName, name). A changed schedule drops the runs the old one created ahead. */
  register(specs: readonly DeploymentSpec[]): { deployments: { id: string; name: string; flowName: string }[]; changes: ChangeSet };
  list(filter: { name?: string | undefined; flow?: string | undefined }): Deployment[];
  get(id: string): Deployment | null;
  /** Pausing removes the runs the schedule created that are not due yet; null when unknown. */
  setPaused(id: string, paused: boolean): { deployment: Deployment; changes: ChangeSet } | null;
  /** Deletes the deployment; its waiting runs that never started go, waiting re-runs are cancelled, the rest stay as history. */
  remove(id: string): ChangeSet | null;
  createRun(deploymentId: string, input: CreateRunInput): { run: FlowRunSummary; changes: ChangeSet } | null;
  /**
   * In one transaction: due Scheduled runs of these deployments, oldest first, at most `limit`,
   * within each deployment's concurrency limit, become Pending and owned by the worker.
   */
  claim(req: ClaimRequest): { runs: ClaimedRun[]; changes: ChangeSet };
  /** Deployments with a schedule that is on; `anchor` is when the schedule was set (intervals count from it). */
  activeSchedules(): { id: string; schedule: Schedule; anchor: number; lastWorkerSeenAt: number | null }[];
  /** Creates a Scheduled run per occurrence not created yet (one per deployment and occurrence). */
  addScheduledRuns(deploymentId: string, slots: readonly number[]): ChangeSet;
  /** Runs of deployments still named Scheduled whose time is at or before `cutoff` become Late. */
  markLate(cutoff: number): ChangeSet;
  /** A retried run may start now and be claimed again (expected start = now, no owner). */
  startNow(flowRunId: string): void;
}
