/** "Run again…" on a deployment run: the Run form of its deployment, filled with this run's parameters. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FlowRunDetail } from '@flowlight/schema';
import { errorMessage } from '../../api/client';
import { deploymentOptions } from '../../api/deployments';
import { Button } from '../../components/ui';
import { RunDialog } from './RunDialog';

function runParameters(run: FlowRunDetail): Record<string, unknown> | undefined {
  if (!run.parameters?.exact) return undefined;
  try {
    const v: unknown = JSON.parse(run.parameters.text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function RunAgainButton({ run, disabled }: { run: FlowRunDetail; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const deploymentId = run.deploymentId;
  const q = useQuery({ ...deploymentOptions(deploymentId ?? ''), enabled: open && deploymentId !== null });
  if (deploymentId === null) return null;
  return (
    <>
      <Button
        icon="play"
        disabled={disabled || (open && q.isPending)}
        title={q.isError ? errorMessage(q.error) : 'Start a new run of this deployment, starting from these parameters'}
        onClick={() => setOpen(true)}
      >
        Run again…
      </Button>
      {open && q.isError ? (
        <span role="alert" className="text-xs text-danger">
          {errorMessage(q.error)}
        </span>
      ) : null}
      {open && q.data ? <RunDialog deployment={q.data} parameters={runParameters(run)} open onClose={() => setOpen(false)} /> : null}
    </>
  );
}
