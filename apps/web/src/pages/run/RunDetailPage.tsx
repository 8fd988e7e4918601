/** One flow run: header with state, timing and actions; live timeline; tabs for logs, tasks, values, errors, history. */
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { isTerminalType, type FlowRunDetail, type TaskRunSummary } from '@flowlight/schema';
import { flowRunDetailOptions } from '../../api/flow-runs';
import { taskRunListOptions } from '../../api/task-runs';
import { ApiError } from '../../api/client';
import { useLiveRoom } from '../../live/hooks';
import { StateBadge } from '../../components/StateBadge';
import { Duration } from '../../components/Duration';
import { Timeline } from '../../components/Timeline';
import { Tabs, TabPanel } from '../../components/Tabs';
import { LogsView } from '../../components/LogsView';
import { JsonViewer } from '../../components/JsonViewer';
import { TracebackView } from '../../components/TracebackView';
import { EmptyState, ErrorNote, Panel, Spinner } from '../../components/ui';
import { Icon } from '../../components/Icon';
import { StateStrip } from '../../components/StateStrip';
import { formatRelative, formatTimestamp } from '../../lib/format';
import { parsePreview, summarizeValue } from '../../lib/json';
import { RunActions } from './RunActions';
import { TaskRunsPanel } from './TaskRuns';
import { StateHistory } from './StateHistory';

const TABS = ['logs', 'task-runs', 'parameters', 'result', 'traceback', 'history'] as const;
type Tab = (typeof TABS)[number];
const isTab = (v: string | null): v is Tab => v !== null && (TABS as readonly string[]).includes(v);

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <dt className="text-[11px] font-medium tracking-wide text-fg-subtle uppercase">{label}</dt>
      <dd className="min-w-0 truncate text-[13px] text-fg">{children}</dd>
    </div>
  );
}

function Header({ run, tasks }: { run: FlowRunDetail; tasks: readonly TaskRunSummary[] | undefined }) {
  const [actionError, setActionError] = useState<string | null>(null);
  const params = run.parameters ? parsePreview(run.parameters) : null;
  return (
    <header className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4">
      <nav aria-label="Breadcrumb" className="flex items-center gap-1 text-xs text-fg-muted">
        <Link to="/runs" className="hover:text-fg hover:underline">
          Runs
        </Link>
        <Icon name="chevronRight" className="size-3" />
        <Link to={`/runs?flow=${encodeURIComponent(run.flowName)}`} className="hover:text-fg hover:underline">
          {run.flowName}
        </Link>
        {run.parent ? (
          <>
            <span className="mx-1 text-fg-subtle">·</span>
            subflow of
            <Link to={`/runs/${encodeURIComponent(run.parent.id)}`} className="ml-1 text-accent hover:underline">
              {run.parent.name}
            </Link>
          </>
        ) : null}
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <StateBadge state={run.state} />
        <h1 className="text-xl font-semibold tracking-tight">{run.name}</h1>
        {run.tags.map((t) => (
          <span key={t} className="rounded bg-subtle px-1.5 py-0.5 text-[11px] text-fg-muted">
            {t}
          </span>
        ))}
        <div className="ml-auto">
          <RunActions run={run} onError={setActionError} />
        </div>
      </div>
      {run.state.message ? <p className="text-[13px] whitespace-pre-wrap text-fg-muted">{run.state.message}</p> : null}
      {actionError ? (
        <div role="alert" className="flex items-start gap-2 rounded-md border border-st-failed/40 bg-st-failed/8 px-3 py-2 text-[13px]">
          <Icon name="x" className="mt-0.5 size-3.5 text-st-failed" />
          <span>
            <strong className="font-semibold">The API refused this action:</strong> {actionError}
          </span>
          <button type="button" aria-label="Dismiss" onClick={() => setActionError(null)} className="ml-auto text-fg-subtle hover:text-fg">
            <Icon name="close" className="size-3" />
          </button>
        </div>
      ) : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-3 lg:grid-cols-6">
        <Meta label="Started">
          <span title={run.startTime ? formatTimestamp(run.startTime) : undefined}>{run.startTime ? formatRelative(run.startTime) : run.expectedStartTime ? `expected ${formatRelative(run.expectedStartTime)}` : 'not yet'}</span>
        </Meta>
        <Meta label="Ended">
          <span title={run.endTime ? formatTimestamp(run.endTime) : undefined}>{run.endTime ? formatRelative(run.endTime) : '—'}</span>
        </Meta>
        <Meta label="Duration">
          <Duration startTime={run.startTime} endTime={run.endTime} durationMs={run.durationMs} stateType={run.state.type} />
        </Meta>
        <Meta label="Task runs">
          <span className="flex items-center gap-2">
            <span className="tabular">{(tasks?.length ?? run.taskRunCount).toLocaleString('en')}</span>
            <StateStrip counts={run.taskStateCounts} className="w-20" />
          </span>
        </Meta>
        <Meta label="Parameters">
          <span className="font-mono text-[12px]" title={run.parameters?.text}>
            {params ? (params.kind === 'json' ? summarizeValue(params.value, 80) || '—' : params.text.slice(0, 80)) : '—'}
          </span>
        </Meta>
        <Meta label="Run id">
          <span className="font-mono text-[12px]" title={run.id}>
            {run.id}
          </span>
        </Meta>
      </dl>
      {run.children.length ? (
        <div className="flex flex-wrap items-center gap-2 text-xs text-fg-muted">
          Subflows:
          {run.children.slice(0, 20).map((c) => (
            <Link key={c.id} to={`/runs/${encodeURIComponent(c.id)}`} className="flex items-center gap-1 hover:underline">
              <StateBadge state={c.state} size="sm" /> {c.name}
            </Link>
          ))}
        </div>
      ) : null}
    </header>
  );
}

export function RunDetailPage() {
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const tabParam = search.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'logs';
  const selectedTask = search.get('task');
  useLiveRoom({ room: 'run', flowRunId: id });
  const detail = useQuery(flowRunDetailOptions(id));
  const tasks = useQuery(taskRunListOptions(id));

  const setTab = (t: Tab, task?: string | null) =>
    setSearch(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (t === 'logs') p.delete('tab');
        else p.set('tab', t);
        if (task !== undefined) {
          if (task) p.set('task', task);
          else p.delete('task');
        }
        return p;
      },
      { replace: true },
    );

  const taskList = useMemo(() => tasks.data ?? [], [tasks.data]);
  const taskNames = useMemo(() => new Map(taskList.map((t) => [t.id, t.name])), [taskList]);
  const failedTasks = useMemo(() => taskList.filter((t) => t.error), [taskList]);

  if (detail.isPending) return <Spinner label="Loading run" />;
  if (detail.isError) {
    if (detail.error instanceof ApiError && detail.error.status === 404)
      return (
        <EmptyState title="This run does not exist" icon="search">
          It may have been deleted.{' '}
          <Link to="/runs" className="text-accent underline">
            Back to runs
          </Link>
        </EmptyState>
      );
    return <ErrorNote error={detail.error} title="Could not load the run" />;
  }
  const run = detail.data;
  const live = !isTerminalType(run.state.type);
  const errorCount = (run.error ? 1 : 0) + failedTasks.length;

  const tabs = [
    { id: 'logs', label: 'Logs' },
    { id: 'task-runs', label: 'Task runs', count: taskList.length },
    { id: 'parameters', label: 'Parameters' },
    { id: 'result', label: 'Result' },
    { id: 'traceback', label: 'Traceback', count: errorCount || undefined, tone: errorCount ? ('danger' as const) : undefined },
    { id: 'history', label: 'State history', count: run.states.length },
  ] as const;

  return (
    <div className="flex flex-col gap-3 p-4" data-run-id={run.id}>
      <Header run={run} tasks={tasks.data} />
      <Panel title="Timeline" actions={<span className="text-xs text-fg-subtle">{live ? 'live' : ''}</span>} bodyClassName="p-2">
        {tasks.isPending ? (
          <Spinner label="Loading task runs" />
        ) : (
          <Timeline tasks={taskList} runStart={run.startTime} runEnd={run.endTime} live={live} selectedId={selectedTask} onSelect={(tid) => setTab('task-runs', tid)} />
        )}
      </Panel>
      <section className="rounded-lg border border-line bg-panel" aria-label="Run details">
        <Tabs tabs={tabs} value={tab} onChange={(t) => setTab(t)} label="Run details" idPrefix="run" />
        <TabPanel id={tab} idPrefix="run" className="p-3">
          {tab === 'logs' ? <LogsView key={run.id} scope={{ flowRunId: run.id }} live={live} taskNames={taskNames} /> : null}
          {tab === 'task-runs' ? (tasks.isError ? <ErrorNote error={tasks.error} title="Could not load task runs" /> : <TaskRunsPanel tasks={taskList} selectedId={selectedTask} onSelect={(tid) => setTab('task-runs', tid)} live={live} />) : null}
          {tab === 'parameters' ? <JsonViewer preview={run.parameters} label="Parameters" emptyTitle="No parameters" emptyText="This flow was called without arguments." /> : null}
          {tab === 'result' ? (
            <JsonViewer
              preview={run.result}
              label="Result"
              emptyTitle="No result"
              emptyText={live ? 'The run has not finished yet.' : run.state.type === 'COMPLETED' ? 'The flow returned nothing.' : 'The run did not complete, so there is no result.'}
            />
          ) : null}
          {tab === 'traceback' ? (
            <div className="flex flex-col gap-5">
              {run.error ? <TracebackView error={run.error} title="Flow run error" /> : null}
              {failedTasks.slice(0, 50).map((t) =>
                t.error ? (
                  <div key={t.id} className="flex flex-col gap-1">
                    <TracebackView error={t.error} title={`Task run ${t.name}`} />
                  </div>
                ) : null,
              )}
              {!errorCount ? (
                <EmptyState title="No errors" icon="check">
                  {live ? 'Nothing has failed so far.' : 'This run and its task runs finished without an error.'}
                </EmptyState>
              ) : null}
            </div>
          ) : null}
          {tab === 'history' ? <StateHistory states={run.states} /> : null}
        </TabPanel>
      </section>
    </div>
  );
}
