/** Home: how runs are doing over a window, what failed recently, what is running now. */
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { FlowRunSummary, StateType } from '@flowlight/schema';
import { statsOptions, STATS_WINDOWS, type StatsWindow } from '../api/stats';
import { flowRunListOptions } from '../api/flow-runs';
import { useLiveRoom } from '../live/hooks';
import { runsFilterToParams, type RunsFilter } from '../lib/filters';
import { STATE_TYPE_LABEL, STATE_TYPE_ORDER, stateStyle } from '../lib/state-style';
import { formatCount, formatPercent, formatRelative } from '../lib/format';
import { Code, EmptyState, ErrorNote, Panel, Spinner } from '../components/ui';
import { StateBadge } from '../components/StateBadge';
import { StateStrip } from '../components/StateStrip';
import { Duration } from '../components/Duration';
import { RunsChart } from '../components/RunsChart';
import { Icon } from '../components/Icon';

const FAILURES: RunsFilter = { stateType: ['FAILED', 'CRASHED'], range: 'all', sort: 'start_desc' };
const RUNNING: RunsFilter = { stateType: ['RUNNING', 'PAUSED', 'CANCELLING'], range: 'all', sort: 'start_desc' };
const isWindow = (v: string | null): v is StatsWindow => v !== null && Object.hasOwn(STATS_WINDOWS, v);

function CountTile({ type, n, window: w }: { type: StateType; n: number; window: StatsWindow }) {
  const s = stateStyle({ type });
  const href = `/runs?${runsFilterToParams({ stateType: [type], range: w, sort: 'start_desc' }).toString()}`;
  return (
    <Link to={href} className={`group flex flex-col gap-1 rounded-lg border border-line bg-panel px-3 py-2.5 hover:border-line-strong ${n === 0 ? 'opacity-60' : ''}`} data-state-type={type} aria-label={`${n} ${STATE_TYPE_LABEL[type]}`}>
      <span className="flex items-center gap-1.5 text-xs text-fg-muted">
        <span className={s.classes.text}>
          <Icon name={s.icon} className="size-3" />
        </span>
        {STATE_TYPE_LABEL[type]}
      </span>
      <span className="text-xl font-semibold tracking-tight text-fg tabular">{formatCount(n)}</span>
    </Link>
  );
}

function RunLine({ run, showError }: { run: FlowRunSummary; showError?: boolean }) {
  return (
    <li className="border-b border-line last:border-0">
      <Link to={`/runs/${encodeURIComponent(run.id)}${showError ? '?tab=traceback' : ''}`} className="flex flex-col gap-1 px-3 py-2 hover:bg-hover" data-run-id={run.id}>
        <div className="flex items-center gap-2">
          <StateBadge state={run.state} size="sm" />
          <span className="truncate font-medium text-fg">{run.name}</span>
          <span className="truncate text-fg-muted">{run.flowName}</span>
          <span className="ml-auto shrink-0 text-xs text-fg-subtle tabular">
            {showError ? formatRelative(run.endTime ?? run.updatedAt) : <Duration startTime={run.startTime} endTime={run.endTime} durationMs={run.durationMs} stateType={run.state.type} />}
          </span>
        </div>
        {showError && run.state.message ? <p className="truncate font-mono text-[12px] text-st-failed">{run.state.message}</p> : null}
        {!showError && run.taskRunCount ? <StateStrip counts={run.taskStateCounts} className="w-full" /> : null}
      </Link>
    </li>
  );
}

function RunList({ filter, showError, empty }: { filter: RunsFilter; showError?: boolean; empty: string }) {
  const q = useInfiniteQuery(flowRunListOptions(filter, 8));
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorNote error={q.error} />;
  const items = q.data.pages[0]?.items ?? [];
  if (!items.length) return <p className="px-3 py-6 text-center text-[13px] text-fg-subtle">{empty}</p>;
  return (
    <ul>
      {items.slice(0, 8).map((r) => (
        <RunLine key={r.id} run={r} showError={showError ?? false} />
      ))}
    </ul>
  );
}

export function DashboardPage() {
  useLiveRoom({ room: 'runs' });
  const [search, setSearch] = useSearchParams();
  const wParam = search.get('window');
  const w: StatsWindow = isWindow(wParam) ? wParam : '24h';
  const stats = useQuery({ ...statsOptions(w), staleTime: 30_000 });
  const totals = stats.data?.totals;
  const total = totals ? Object.values(totals).reduce((a, b) => a + b, 0) : 0;
  const settled = totals ? totals.COMPLETED + totals.FAILED + totals.CRASHED : 0;
  const failRate = settled ? (totals!.FAILED + totals!.CRASHED) / settled : 0;

  return (
    <div className="flex flex-col gap-4 p-4">
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold tracking-tight">Dashboard</h1>
        <div role="radiogroup" aria-label="Time window" className="flex rounded-md border border-line bg-subtle p-0.5">
          {(Object.keys(STATS_WINDOWS) as StatsWindow[]).map((k) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={k === w}
              onClick={() => setSearch(k === '24h' ? {} : { window: k }, { replace: true })}
              className={`h-6 rounded px-2.5 text-xs font-medium ${k === w ? 'bg-panel text-fg shadow-sm' : 'text-fg-muted hover:text-fg'}`}
            >
              {STATS_WINDOWS[k].label}
            </button>
          ))}
        </div>
      </div>

      {stats.isError ? <ErrorNote error={stats.error} title="Could not load stats" /> : null}

      <section aria-label="Runs by state" className="grid grid-cols-3 gap-2 sm:grid-cols-5 xl:grid-cols-9">
        {STATE_TYPE_ORDER.map((t) => (
          <CountTile key={t} type={t} n={totals?.[t] ?? 0} window={w} />
        ))}
      </section>

      <Panel
        title="Runs over time"
        actions={
          stats.data ? (
            <span className="text-xs text-fg-muted tabular">
              {formatCount(total)} runs · {formatPercent(failRate)} failed
            </span>
          ) : null
        }
        bodyClassName="p-3"
      >
        {stats.isPending ? (
          <Spinner />
        ) : stats.data && total > 0 ? (
          <RunsChart stats={stats.data} />
        ) : (
          <EmptyState title="No runs in this window">
            Start the example with <Code>npm start</Code>, or run a flow with <Code>FLOWLIGHT_API_URL=http://127.0.0.1:4200</Code> set, and it shows up here live.
          </EmptyState>
        )}
      </Panel>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel
          title="Running now"
          actions={
            <Link to="/runs?stateType=RUNNING" className="text-xs text-accent hover:underline">
              All running
            </Link>
          }
        >
          <RunList filter={RUNNING} empty="Nothing is running right now." />
        </Panel>
        <Panel
          title="Recent failures"
          actions={
            <Link to="/runs?stateType=FAILED,CRASHED" className="text-xs text-accent hover:underline">
              All failures
            </Link>
          }
        >
          <RunList filter={FAILURES} showError empty="No failures. 🎉" />
        </Panel>
      </div>
    </div>
  );
}
