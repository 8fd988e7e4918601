/**
 * The run history table: virtualized rows (any length scrolls smoothly), pages fetched with the
 * API cursor as the end comes into view, row selection for bulk actions.
 */
import { memo, useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FlowRunSummary } from '@flowlight/schema';
import { StateBadge } from '../../components/StateBadge';
import { StateStrip } from '../../components/StateStrip';
import { Duration } from '../../components/Duration';
import { formatTime, formatTimestamp } from '../../lib/format';

export const ROW_HEIGHT = 36;
const GRID = 'grid grid-cols-[32px_128px_minmax(110px,1fr)_minmax(140px,1.3fr)_minmax(80px,0.8fr)_118px_84px_52px_112px] items-center gap-x-3 px-3';

const Row = memo(function Row({ run, selected, onToggle, top }: { run: FlowRunSummary; selected: boolean; onToggle: (id: string, shift: boolean) => void; top: number }) {
  const navigate = useNavigate();
  return (
    <div
      role="row"
      aria-selected={selected}
      data-run-id={run.id}
      data-state-type={run.state.type}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
      className={`${GRID} cursor-pointer border-b border-line text-[13px] ${selected ? 'bg-accent/8' : 'hover:bg-hover'}`}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('a,button,input,label')) return;
        void navigate(`/runs/${encodeURIComponent(run.id)}`);
      }}
    >
      <div role="cell" className="flex items-center">
        <input
          type="checkbox"
          aria-label={`Select run ${run.name}`}
          checked={selected}
          onChange={(e) => onToggle(run.id, (e.nativeEvent as MouseEvent).shiftKey)}
          className="accent-(--fl-accent)"
        />
      </div>
      <div role="cell">
        <StateBadge state={run.state} size="sm" />
      </div>
      <div role="cell" className="truncate text-fg-muted" title={run.flowName}>
        {run.flowName}
      </div>
      <div role="cell" className="truncate">
        <Link to={`/runs/${encodeURIComponent(run.id)}`} className="font-medium text-fg hover:underline" title={run.name}>
          {run.name}
        </Link>
      </div>
      <div role="cell" className="flex gap-1 overflow-hidden">
        {run.tags.slice(0, 3).map((t) => (
          <span key={t} className="truncate rounded bg-subtle px-1.5 py-px text-[11px] text-fg-muted">
            {t}
          </span>
        ))}
        {run.tags.length > 3 ? <span className="text-[11px] text-fg-subtle">+{run.tags.length - 3}</span> : null}
      </div>
      <div role="cell" className="tabular text-fg-muted" title={run.startTime ? formatTimestamp(run.startTime) : run.expectedStartTime ? `expected ${formatTimestamp(run.expectedStartTime)}` : 'not started'}>
        {run.startTime ? formatTime(run.startTime) : run.expectedStartTime ? <span className="italic">{formatTime(run.expectedStartTime)}</span> : '—'}
      </div>
      <div role="cell" className="text-right text-fg-muted">
        <Duration startTime={run.startTime} endTime={run.endTime} durationMs={run.durationMs} stateType={run.state.type} />
      </div>
      <div role="cell" className="tabular text-right text-fg-muted">
        {run.taskRunCount}
      </div>
      <div role="cell">
        <StateStrip counts={run.taskStateCounts} className="w-full" />
      </div>
    </div>
  );
});

export function RunsTable({
  runs,
  total,
  selected,
  onToggle,
  onToggleAll,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: {
  runs: FlowRunSummary[];
  total: number | undefined;
  selected: ReadonlySet<string>;
  onToggle: (id: string, shift: boolean) => void;
  onToggleAll: (on: boolean) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => runs[i]?.id ?? i,
  });
  const items = v.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= runs.length - 25) fetchNextPage();
  }, [lastIndex, runs.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const allOn = runs.length > 0 && runs.every((r) => selected.has(r.id));
  return (
    <div role="table" aria-label="Flow runs" aria-rowcount={total ?? runs.length} className="flex min-h-0 flex-1 flex-col">
      <div role="rowgroup">
        <div role="row" className={`${GRID} h-8 border-b border-line bg-subtle text-[11px] font-semibold tracking-wide text-fg-subtle uppercase`}>
          <div role="columnheader">
            <input type="checkbox" aria-label="Select all loaded runs" checked={allOn} onChange={(e) => onToggleAll(e.target.checked)} className="accent-(--fl-accent)" />
          </div>
          <div role="columnheader">State</div>
          <div role="columnheader">Flow</div>
          <div role="columnheader">Run</div>
          <div role="columnheader">Tags</div>
          <div role="columnheader">Start</div>
          <div role="columnheader" className="text-right">
            Duration
          </div>
          <div role="columnheader" className="text-right">
            Tasks
          </div>
          <div role="columnheader">Task states</div>
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="min-h-0 flex-1 overflow-auto" data-testid="runs-scroll">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const run = runs[it.index];
            if (!run) return null;
            return (
              <Row key={it.key} run={run} selected={selected.has(run.id)} onToggle={onToggle} top={it.start} />
            );
          })}
        </div>
        {isFetchingNextPage ? <div className="py-2 text-center text-xs text-fg-muted">Loading more runs…</div> : null}
      </div>
    </div>
  );
}
