/** Actions on the selected runs: cancel, retry, set state, delete — each confirmed. */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { BulkBody, BulkResponse, SetStateBody } from '@flowlight/schema';
import { flowRunCommands } from '../../api/flow-runs';
import { errorMessage } from '../../api/client';
import { toListQuery, type RunsFilter } from '../../lib/filters';
import { Button } from '../../components/ui';
import { useConfirm } from '../../components/Dialog';
import { notify } from '../../components/Toaster';
import { SetStateDialog } from '../../components/SetStateDialog';

type BulkAction = 'cancel' | 'retry' | 'delete' | 'set-state';
const PAST = { cancel: 'Cancel requested for', retry: 'Retry started for', delete: 'Deleted', 'set-state': 'Set the state of' } as const satisfies Record<BulkAction, string>;

function summarize(action: BulkAction, res: BulkResponse): void {
  const ok = res.results.filter((r) => r.ok).length;
  const refused = res.results.filter((r) => !r.ok);
  const head = `${PAST[action]} ${ok} of ${res.results.length} run${res.results.length === 1 ? '' : 's'}`;
  if (!refused.length) notify('success', `${head}.`);
  else notify(ok ? 'info' : 'error', `${head}. ${refused.length} refused: ${refused[0]?.message ?? ''}${refused.length > 1 ? ' …' : ''}`);
}

export function BulkBar({
  ids,
  onDone,
  onClear,
  matching,
}: {
  ids: string[];
  onDone: (action: BulkAction) => void;
  onClear: () => void;
  /** Offered when every loaded run is selected and more match the filter. */
  matching: { total: number; filter: RunsFilter } | null;
}) {
  const confirm = useConfirm();
  const [setStateOpen, setSetStateOpen] = useState(false);
  const [allMatching, setAllMatching] = useState(false);
  const useFilter = allMatching && matching !== null;
  const target = (): BulkBody => {
    if (!useFilter) return { ids };
    const { sort: _sort, ...filter } = toListQuery(matching.filter, Date.now());
    return { filter };
  };
  const m = useMutation({
    mutationFn: ({ action, body }: { action: BulkAction; body: BulkBody }) => flowRunCommands.bulk(action, body),
    onSuccess: (res, { action }) => {
      summarize(action, res);
      onDone(action);
    },
    onError: (e) => notify('error', `The API refused: ${errorMessage(e)}`),
  });
  const n = useFilter ? matching.total : ids.length;
  const runs = `${n} run${n === 1 ? '' : 's'}`;
  const run = async (action: BulkAction, title: string, body: string, label: string, danger = false) => {
    if (await confirm({ title, body, confirmLabel: label, danger })) m.mutate({ action, body: target() });
  };
  return (
    <div role="toolbar" aria-label="Bulk actions" className="flex items-center gap-2 rounded-lg border border-accent/40 bg-accent/6 px-3 py-1.5">
      <span className="text-[13px] font-medium text-fg">{useFilter ? `All ${runs} matching the filter` : `${runs} selected`}</span>
      {matching && !useFilter ? (
        <button type="button" className="text-[13px] text-accent hover:underline" onClick={() => setAllMatching(true)}>
          Select all {matching.total.toLocaleString('en')} matching
        </button>
      ) : null}
      <span className="mx-1 h-4 w-px bg-line-strong" />
      <Button size="sm" icon="stop" disabled={m.isPending} onClick={() => run('cancel', `Cancel ${runs}?`, 'Running flows stop at their next safe point; runs that have finished are left as they are.', `Cancel ${runs}`, true)}>
        Cancel
      </Button>
      <Button size="sm" icon="retry" disabled={m.isPending} onClick={() => run('retry', `Retry ${runs}?`, 'Each finished run is scheduled again with the same parameters.', `Retry ${runs}`)}>
        Retry
      </Button>
      <Button size="sm" icon="filter" disabled={m.isPending} onClick={() => setSetStateOpen(true)}>
        Set state
      </Button>
      <Button size="sm" variant="danger" icon="trash" disabled={m.isPending} onClick={() => run('delete', `Delete ${runs}?`, 'Their states, task runs and logs are removed for good.', `Delete ${runs}`, true)}>
        Delete
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          setAllMatching(false);
          onClear();
        }}
        className="ml-auto"
      >
        Clear selection
      </Button>
      <SetStateDialog
        open={setStateOpen}
        count={n}
        onClose={() => setSetStateOpen(false)}
        onSubmit={(state: SetStateBody) => {
          setSetStateOpen(false);
          m.mutate({ action: 'set-state', body: { ...target(), state } });
        }}
      />
    </div>
  );
}
