/**
 * Deployments: each with its flow, schedule in words, next runs, last runs as colored marks, a
 * schedule on/off switch and a Run button (a form built from the flow's parameter schema).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Deployment, Schedule } from '@flowlight/schema';
import { errorMessage } from '../../api/client';
import { deploymentCommands, deploymentKeys, deploymentListOptions } from '../../api/deployments';
import { notify } from '../../components/Toaster';
import { RunMarks, StateBadge } from '../../components/StateBadge';
import { Button, Code } from '../../components/ui';
import { ListPage } from '../../components/ListPage';
import { useLiveRoom } from '../../live/hooks';
import { formatRelative } from '../../lib/format';
import { RunDialog } from './RunDialog';

/** "every 30 s", "every 5 min", or the cron expression with its time zone. */
export function scheduleInWords(s: Schedule | undefined): string {
  if (!s) return 'No schedule';
  if ('intervalSeconds' in s) {
    const n = s.intervalSeconds;
    if (n % 3600 === 0) return `Every ${n / 3600} h`;
    if (n % 60 === 0) return `Every ${n / 60} min`;
    return `Every ${n} s`;
  }
  return `Cron ${s.cron} (${s.timezone})`;
}

function ScheduleSwitch({ d }: { d: Deployment }) {
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (paused: boolean) => deploymentCommands.setPaused(d.id, paused),
    onSuccess: (updated) => {
      qc.setQueryData<Deployment[]>(deploymentKeys.list(), (old) =>
        old?.map((x) => (x.id === updated.id ? updated : x)),
      );
      notify('success', updated.paused ? `Schedule of ${d.name} is off.` : `Schedule of ${d.name} is on.`);
    },
    onError: (e) => notify('error', errorMessage(e)),
  });
  if (!d.schedule) return null;
  const on = !(toggle.isPending ? toggle.variables : d.paused);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={`Schedule ${d.name}`}
      title={
        on
          ? 'Schedule on: click to pause (removes its runs that are not due yet)'
          : 'Schedule off: click to resume'
      }
      disabled={toggle.isPending}
      onClick={() => toggle.mutate(on)}
      className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border transition-colors ${on ? 'border-transparent bg-accent' : 'border-line-strong bg-subtle'}`}
    >
      <span
        className={`inline-block size-3.5 rounded-full bg-panel shadow transition-transform ${on ? 'translate-x-4.5' : 'translate-x-0.5'}`}
      />
    </button>
  );
}

function DeploymentRow({ d, onRun }: { d: Deployment; onRun: () => void }) {
  const live = d.lastWorkerSeenAt !== null && Date.now() - d.lastWorkerSeenAt < 30_000;
  return (
    <tr className="border-b border-line align-top last:border-0 hover:bg-hover" data-deployment-id={d.id}>
      <td className="px-3 py-2">
        <div className="truncate font-medium text-fg" title={d.description ?? d.name}>
          {d.name}
        </div>
        <Link
          to={`/runs?flow=${encodeURIComponent(d.flowName)}`}
          className="text-xs text-fg-muted hover:underline"
        >
          {d.flowName}
        </Link>
        <div
          className="mt-0.5 text-[11px] text-fg-subtle"
          title={d.lastWorkerSeenAt ? new Date(d.lastWorkerSeenAt).toISOString() : undefined}
        >
          {live
            ? 'Worker online'
            : d.lastWorkerSeenAt
              ? `Worker last seen ${formatRelative(d.lastWorkerSeenAt)}`
              : 'No worker yet'}
        </div>
      </td>
      <td className="px-3 py-2">
        <div className="flex items-center gap-2">
          <ScheduleSwitch d={d} />
          <span className={d.paused && d.schedule ? 'text-fg-subtle line-through' : 'text-fg'}>
            {scheduleInWords(d.schedule)}
          </span>
        </div>
      </td>
      <td className="px-3 py-2">
        {d.nextRuns.length === 0 ? (
          <span className="text-fg-subtle">—</span>
        ) : (
          <ul aria-label={`Next runs of ${d.name}`} className="flex flex-col gap-1">
            {d.nextRuns.slice(0, 3).map((r) => (
              <li key={r.id} className="flex items-center gap-2">
                <StateBadge state={r.state} size="sm" />
                <Link
                  to={`/runs/${encodeURIComponent(r.id)}`}
                  className="text-xs text-fg-muted tabular hover:underline"
                  title={new Date(r.expectedStartTime).toISOString()}
                >
                  {formatRelative(r.expectedStartTime)}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="px-3 py-2">
        <RunMarks runs={d.lastRuns} of={d.name} dashWhenNone />
      </td>
      <td className="px-3 py-2 text-right">
        <Button icon="play" onClick={onRun} aria-label={`Run ${d.name}`}>
          Run
        </Button>
      </td>
    </tr>
  );
}

export function DeploymentsPage() {
  useLiveRoom({ room: 'runs' });
  const q = useQuery(deploymentListOptions());
  const [running, setRunning] = useState<Deployment | null>(null);
  return (
    <>
      <ListPage
        title="Deployments"
        noun="deployments"
        query={q}
        empty={
          <>
            Serve a flow to deploy it:{' '}
            <Code>
              myFlow.serve({'{'} intervalSeconds: 60 {'}'})
            </Code>{' '}
            in a script, or <Code>flowlight worker start flows.ts</Code>.
          </>
        }
      >
        {(deployments) => (
          <table className="w-full table-fixed text-[13px]" aria-label="Deployments">
            <colgroup>
              <col className="w-[24%]" />
              <col className="w-[24%]" />
              <col className="w-[20%]" />
              <col />
              <col className="w-24" />
            </colgroup>
            <thead>
              <tr className="border-b border-line bg-subtle text-left text-[11px] font-semibold tracking-wide text-fg-subtle uppercase">
                <th className="px-3 py-2 font-semibold">Deployment</th>
                <th className="px-3 py-2 font-semibold">Schedule</th>
                <th className="px-3 py-2 font-semibold">Next runs</th>
                <th className="px-3 py-2 font-semibold">Last runs</th>
                <th className="px-3 py-2 text-right font-semibold">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((d) => (
                <DeploymentRow key={d.id} d={d} onRun={() => setRunning(d)} />
              ))}
            </tbody>
          </table>
        )}
      </ListPage>
      {running ? (
        <RunDialog key={running.id} deployment={running} open onClose={() => setRunning(null)} />
      ) : null}
    </>
  );
}
