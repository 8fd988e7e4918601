/** Run history: filters in the URL, live virtualized list, bulk actions. */
import { useCallback, useMemo, useRef, useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { flowRunListOptions } from '../../api/flow-runs';
import { useLiveRoom } from '../../live/hooks';
import { Button, Code, EmptyState, ErrorNote, Spinner } from '../../components/ui';
import { FilterBar, StateChips } from './FilterBar';
import { RunsTable } from './RunsTable';
import { BulkBar } from './BulkBar';
import { useRunsFilter } from './useRunsFilter';
import { matchingTotal } from '../../lib/filters';

export function RunsPage() {
  const [filter, setFilter] = useRunsFilter();
  useLiveRoom({ room: 'runs' });
  // While a new filter loads, the previous rows stay (dimmed) instead of a blank table.
  const q = useInfiniteQuery({ ...flowRunListOptions(filter), placeholderData: keepPreviousData });
  const runs = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const counts = q.data?.pages[0]?.counts;
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const lastClicked = useRef<string | null>(null);

  const runsRef = useRef(runs);
  runsRef.current = runs;
  const onToggle = useCallback((id: string, shift: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      const on = !prev.has(id);
      const list = runsRef.current;
      const a = list.findIndex((r) => r.id === lastClicked.current);
      const b = list.findIndex((r) => r.id === id);
      if (shift && a >= 0 && b >= 0) {
        for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
          const r = list[i];
          if (r && on) next.add(r.id);
          else if (r) next.delete(r.id);
        }
      } else if (on) next.add(id);
      else next.delete(id);
      lastClicked.current = id;
      return next;
    });
  }, []);
  const onToggleAll = useCallback((on: boolean) => setSelected(on ? new Set(runsRef.current.map((r) => r.id)) : new Set()), []);

  const filtered = Boolean(filter.stateType?.length || filter.stateName?.length || filter.flow?.length || filter.tag?.length || filter.q || filter.range !== 'all');
  const total = matchingTotal(counts, filter);
  const selectedIds = runs.filter((r) => selected.has(r.id)).map((r) => r.id);

  return (
    <div className="flex h-full flex-col gap-3 p-4">
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-lg font-semibold tracking-tight">Runs</h1>
        <div className="flex items-center gap-2 text-xs text-fg-muted">
          {q.isStale && !q.isFetching && !q.isPlaceholderData && q.data ? (
            <Button size="sm" icon="refresh" onClick={() => void q.refetch()} title="Some runs changed in ways only a reload can place">
              Refresh list
            </Button>
          ) : null}
          {total !== undefined ? <span className="tabular" aria-live="polite">{total.toLocaleString('en')} runs</span> : null}
        </div>
      </div>
      <StateChips filter={filter} counts={counts} onChange={(types) => setFilter({ stateType: types.length ? types : undefined })} />
      <FilterBar filter={filter} onChange={setFilter} />
      {selectedIds.length ? (
        <BulkBar
          key={JSON.stringify(filter)}
          ids={selectedIds}
          matching={q.hasNextPage && total !== undefined && selectedIds.length === runs.length && total > runs.length ? { total, filter } : null}
          onClear={() => setSelected(new Set())}
          onDone={(action) => {
            if (action === 'delete') setSelected(new Set());
          }}
        />
      ) : null}
      <div
        className={`flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-line bg-panel transition-opacity ${q.isPlaceholderData ? 'opacity-60' : ''}`}
        aria-busy={q.isPlaceholderData}
      >
        {q.isPending ? (
          <Spinner label="Loading runs" />
        ) : q.isError && !q.data ? (
          <ErrorNote error={q.error} title="Could not load runs" />
        ) : runs.length === 0 ? (
          filtered ? (
            <EmptyState title="No runs match these filters" icon="filter">
              Try a wider time range or fewer states.{' '}
              <button type="button" className="text-accent underline" onClick={() => setFilter({ stateType: undefined, stateName: undefined, flow: undefined, tag: undefined, q: undefined, range: 'all' })}>
                Clear all filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No flow runs yet">
              Runs appear here live as they start. Run the example with <Code>npm start</Code> in another terminal, or write your first flow:
              <pre className="mt-3 rounded-md bg-subtle p-3 text-left font-mono text-[12px] leading-relaxed text-fg">
                {`import { flow, task } from '@flowlight/engine';

const hello = task(async function hello(name: string) {
  return \`Hello, \${name}!\`;
});

await flow({ name: 'greet' }, async () => hello('world'))();`}
              </pre>
              <p className="mt-2">
                Run it with <Code>FLOWLIGHT_API_URL=http://127.0.0.1:4200 npx tsx greet.ts</Code> and watch it turn green here.
              </p>
            </EmptyState>
          )
        ) : (
          <RunsTable
            runs={runs}
            total={total}
            selected={selected}
            onToggle={onToggle}
            onToggleAll={onToggleAll}
            hasNextPage={q.hasNextPage && !q.isPlaceholderData}
            isFetchingNextPage={q.isFetchingNextPage}
            fetchNextPage={() => void q.fetchNextPage()}
          />
        )}
      </div>
    </div>
  );
}
