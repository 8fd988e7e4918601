/** The actions that fit a run's state, each confirmed where it destroys something. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isTerminalType, type CommandResponse, type FlowRunDetail, type SetStateBody, type StateType } from '@flowlight/schema';
import { flowRunCommands, flowRunKeys, type RunCommand } from '../../api/flow-runs';
import { errorMessage } from '../../api/client';
import { Button } from '../../components/ui';
import { useConfirm } from '../../components/Dialog';
import { notify } from '../../components/Toaster';
import { SetStateDialog } from '../../components/SetStateDialog';
import { Icon } from '../../components/Icon';
import { RunAgainButton } from '../deployments/RunAgainButton';

/** Which commands a state allows (the API has the final word and answers 409 otherwise). */
export const ACTIONS_BY_TYPE = {
  SCHEDULED: ['cancel'],
  PENDING: ['cancel'],
  RUNNING: ['pause', 'cancel'],
  PAUSED: ['resume', 'cancel'],
  CANCELLING: [],
  COMPLETED: ['retry'],
  FAILED: ['retry'],
  CRASHED: ['retry'],
  CANCELLED: ['retry'],
} as const satisfies Record<StateType, readonly RunCommand[]>;

const COMMAND_UI = {
  pause: { label: 'Pause', icon: 'pause', done: 'Pause requested' },
  resume: { label: 'Resume', icon: 'play', done: 'Resume requested' },
  cancel: { label: 'Cancel', icon: 'stop', done: 'Cancel requested' },
  retry: { label: 'Retry', icon: 'retry', done: 'Retry started' },
} as const;

export function RunActions({ run, onError }: { run: FlowRunDetail; onError: (message: string | null) => void }) {
  const qc = useQueryClient();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const [setStateOpen, setSetStateOpen] = useState(false);

  const done = (what: string, res: CommandResponse | unknown) => {
    onError(null);
    const r = res as Partial<CommandResponse> | undefined;
    const note = r && typeof r === 'object' && r.delivered === false && !isTerminalType(run.state.type) ? ' (the flow process is not connected; resolved by the API)' : '';
    notify('success', `${what}${note}.`);
    void qc.invalidateQueries({ queryKey: flowRunKeys.detail(run.id), exact: true });
  };
  const failed = (e: unknown) => {
    const msg = errorMessage(e);
    onError(msg);
    notify('error', `The API refused: ${msg}`);
  };

  const command = useMutation({
    mutationFn: (c: RunCommand) => flowRunCommands.send(run.id, c),
    onSuccess: (res, c) => done(COMMAND_UI[c].done, res),
    onError: failed,
  });
  const setState = useMutation({
    mutationFn: (body: SetStateBody) => flowRunCommands.setState(run.id, body),
    onSuccess: (res) => done('State set', res),
    onError: failed,
  });
  const remove = useMutation({
    mutationFn: () => flowRunCommands.remove(run.id),
    onSuccess: () => {
      notify('success', `Deleted ${run.name}.`);
      qc.removeQueries({ queryKey: flowRunKeys.detail(run.id) });
      void navigate('/runs');
    },
    onError: failed,
  });
  const busy = command.isPending || setState.isPending || remove.isPending;

  const run_ = async (c: RunCommand) => {
    if (c === 'cancel') {
      const ok = await confirm({
        title: `Cancel ${run.name}?`,
        body: 'The flow stops at its next safe point; running tasks are cancelled and nothing new starts.',
        confirmLabel: 'Cancel run',
        danger: true,
      });
      if (!ok) return;
    }
    command.mutate(c);
  };

  return (
    <div className="flex flex-wrap items-center gap-1.5" role="toolbar" aria-label="Run actions">
      {ACTIONS_BY_TYPE[run.state.type].map((c) => (
        <Button key={c} icon={COMMAND_UI[c].icon} disabled={busy} onClick={() => void run_(c)} variant={c === 'cancel' ? 'danger' : 'default'}>
          {COMMAND_UI[c].label}
        </Button>
      ))}
      <RunAgainButton run={run} disabled={busy} />
      <Button icon="filter" disabled={busy} onClick={() => setSetStateOpen(true)}>
        Set state
      </Button>
      <Button
        icon="trash"
        variant="ghost"
        disabled={busy}
        onClick={async () => {
          if (await confirm({ title: `Delete ${run.name}?`, body: 'Its states, task runs and logs are removed for good.', confirmLabel: 'Delete run', danger: true })) remove.mutate();
        }}
      >
        Delete
      </Button>
      <Button
        icon="copy"
        variant="ghost"
        aria-label="Copy run id"
        title={run.id}
        onClick={() => void navigator.clipboard?.writeText(run.id).then(() => notify('success', 'Run id copied'), () => notify('error', 'Could not copy'))}
      >
        Copy id
      </Button>
      <SetStateDialog
        open={setStateOpen}
        count={1}
        onClose={() => setSetStateOpen(false)}
        onSubmit={(body) => {
          setSetStateOpen(false);
          setState.mutate(body);
        }}
      />
      {busy ? <Icon name="refresh" spin className="size-3.5 text-fg-subtle" /> : null}
    </div>
  );
}
