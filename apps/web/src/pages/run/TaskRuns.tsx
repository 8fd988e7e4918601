/** A flow run's task runs (virtualized table) and the selected task's own logs, error and result. */
import { memo, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TaskRunSummary } from '@flowlight/schema';
import { taskRunDetailOptions } from '../../api/task-runs';
import { StateBadge } from '../../components/StateBadge';
import { Duration } from '../../components/Duration';
import { formatTime } from '../../lib/format';
import { Tabs, TabPanel } from '../../components/Tabs';
import { LogsView } from '../../components/LogsView';
import { TracebackView } from '../../components/TracebackView';
import { JsonViewer } from '../../components/JsonViewer';
import { StateHistory } from './StateHistory';
import { EmptyState, ErrorNote, Spinner } from '../../components/ui';
import { Icon } from '../../components/Icon';

const GRID = 'grid grid-cols-[118px_minmax(140px,1fr)_64px_96px_80px_minmax(100px,1.2fr)] items-center gap-x-3 px-3';
const ROW_H = 32;

const TaskRow = memo(function TaskRow({ t, selected, top, onSelect }: { t: TaskRunSummary; selected: boolean; top: number; onSelect: (id: string) => void }) {
  return (
    <div
      role="row"
      aria-selected={selected}
      data-task-run-id={t.id}
      data-state-type={t.state.type}
      tabIndex={0}
      onClick={() => onSelect(t.id)}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect(t.id)}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_H, transform: `translateY(${top}px)` }}
      className={`${GRID} cursor-pointer border-b border-line text-[13px] ${selected ? 'bg-accent/10' : 'hover:bg-hover'}`}
    >
      <div role="cell">
        <StateBadge state={t.state} size="sm" />
      </div>
      <div role="cell" className="truncate font-medium" title={t.name}>
        {t.name}
      </div>
      <div role="cell" className="text-right tabular text-fg-muted">
        {t.attempts}
      </div>
      <div role="cell" className="tabular text-fg-muted">
        {formatTime(t.startTime)}
      </div>
      <div role="cell" className="text-right text-fg-muted">
        <Duration startTime={t.startTime} endTime={t.endTime} durationMs={t.durationMs} stateType={t.state.type} />
      </div>
      <div role="cell" className="truncate text-[12px] text-st-failed" title={t.error ? `${t.error.name}: ${t.error.message}` : undefined}>
        {t.error ? `${t.error.name}: ${t.error.message}` : t.state.message && t.state.type !== 'COMPLETED' ? <span className="text-fg-muted">{t.state.message}</span> : ''}
      </div>
    </div>
  );
});

type TaskTab = 'logs' | 'error' | 'result' | 'parameters' | 'states';

function TaskDetail({ id, live, onClose }: { id: string; live: boolean; onClose: () => void }) {
  const q = useQuery(taskRunDetailOptions(id));
  const [tab, setTab] = useState<TaskTab>('logs');
  if (q.isPending) return <Spinner label="Loading task run" />;
  if (q.isError) return <ErrorNote error={q.error} title="Could not load the task run" />;
  const t = q.data;
  const tabs = [
    { id: 'logs', label: 'Logs' },
    { id: 'error', label: 'Error', tone: t.error ? ('danger' as const) : undefined, count: t.error ? 1 : undefined },
    { id: 'result', label: 'Result' },
    { id: 'parameters', label: 'Parameters' },
    { id: 'states', label: 'States', count: t.states.length },
  ] as const;
  return (
    <section aria-label={`Task run ${t.name}`} className="flex min-w-0 flex-col rounded-lg border border-line bg-panel">
      <header className="flex items-center gap-2 border-b border-line px-3 py-2">
        <StateBadge state={t.state} />
        <h3 className="truncate text-sm font-semibold">{t.name}</h3>
        <span className="text-xs text-fg-muted">
          {t.attempts} attempt{t.attempts === 1 ? '' : 's'} · <Duration startTime={t.startTime} endTime={t.endTime} durationMs={t.durationMs} stateType={t.state.type} />
        </span>
        <button type="button" aria-label="Close task run" onClick={onClose} className="ml-auto grid size-6 place-items-center rounded text-fg-muted hover:bg-hover">
          <Icon name="close" className="size-3" />
        </button>
      </header>
      <Tabs tabs={tabs} value={tab} onChange={setTab} label="Task run details" idPrefix="task" />
      <TabPanel id={tab} idPrefix="task" className="p-3">
        {tab === 'logs' ? <LogsView key={id} scope={{ taskRunId: id }} live={live} maxHeight={360} /> : null}
        {tab === 'error' ? t.error ? <TracebackView error={t.error} /> : <EmptyState title="No error" icon="check">This task run did not fail.</EmptyState> : null}
        {tab === 'result' ? <JsonViewer preview={t.result} label="Task result" emptyTitle="No result" emptyText="The task has not returned a value (yet), or its result was not stored." /> : null}
        {tab === 'parameters' ? <JsonViewer preview={t.parameters} label="Task parameters" emptyTitle="No parameters" emptyText="This task was called without arguments." /> : null}
        {tab === 'states' ? <StateHistory states={t.states} /> : null}
      </TabPanel>
    </section>
  );
}

export function TaskRunsPanel({ tasks, selectedId, onSelect, live }: { tasks: readonly TaskRunSummary[]; selectedId: string | null; onSelect: (id: string | null) => void; live: boolean }) {
  const [filter, setFilter] = useState('');
  const [failedOnly, setFailedOnly] = useState(false);
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return tasks
      .filter((t) => (!f || t.name.toLowerCase().includes(f)) && (!failedOnly || t.state.type === 'FAILED' || t.state.type === 'CRASHED' || t.error))
      .slice()
      .sort((a, b) => (a.startTime ?? a.createdAt) - (b.startTime ?? b.createdAt));
  }, [tasks, filter, failedOnly]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 10, getItemKey: (i) => rows[i]?.id ?? i });

  if (!tasks.length) return <EmptyState title="No task runs">This flow has not called any task yet. Tasks appear here live as they start.</EmptyState>;
  return (
    <div className={`grid gap-3 ${selectedId ? 'xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]' : ''}`}>
      <div className="flex min-w-0 flex-col gap-2">
        <div className="flex items-center gap-2">
          <input
            type="search"
            aria-label="Filter task runs"
            placeholder="Filter task runs"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            className="h-7 w-56 rounded-md border border-line-strong bg-panel px-2 text-[13px]"
          />
          <label className="flex items-center gap-1.5 text-[13px] text-fg-muted">
            <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} className="accent-(--fl-accent)" />
            Failed only
          </label>
          <span className="ml-auto text-xs text-fg-subtle tabular">
            {rows.length.toLocaleString('en')} of {tasks.length.toLocaleString('en')}
          </span>
        </div>
        <div role="table" aria-label="Task runs" aria-rowcount={rows.length} className="overflow-hidden rounded-md border border-line">
          <div role="rowgroup">
            <div role="row" className={`${GRID} h-8 border-b border-line bg-subtle text-[11px] font-semibold tracking-wide text-fg-subtle uppercase`}>
              <div role="columnheader">State</div>
              <div role="columnheader">Task run</div>
              <div role="columnheader" className="text-right">
                Attempts
              </div>
              <div role="columnheader">Start</div>
              <div role="columnheader" className="text-right">
                Duration
              </div>
              <div role="columnheader">Error</div>
            </div>
          </div>
          <div ref={scrollRef} role="rowgroup" className="max-h-[480px] overflow-auto" style={{ height: Math.min(480, rows.length * ROW_H) }}>
            <div style={{ height: v.getTotalSize(), position: 'relative' }}>
              {v.getVirtualItems().map((it) => {
                const t = rows[it.index];
                return t ? <TaskRow key={it.key} t={t} top={it.start} selected={t.id === selectedId} onSelect={onSelect} /> : null;
              })}
            </div>
          </div>
        </div>
      </div>
      {selectedId ? <TaskDetail key={selectedId} id={selectedId} live={live} onClose={() => onSelect(null)} /> : null}
    </div>
  );
}
