import { describe, expect, it } from 'vitest';
import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { DEFAULT_NAME, STATE_TYPES, type DeltaBatch, type FlowRunDetail, type FlowRunSummary, type ListFlowRunsResponse, type ListLogsResponse, type LogLine, type StateType, type TaskRunSummary } from '@flowlight/schema';
import { DEFAULT_FILTER, type RunsFilter } from '../lib/filters';
import { appendLogs, mergeBatches, patchDetail, patchRunList, patchTaskRuns } from './patch';
import { applyDelta } from './apply';
import { createCoalescer } from './coalesce';
import { flowRunKeys } from '../api/flow-runs';
import { taskRunKeys } from '../api/task-runs';
import { logKeys } from '../api/logs';

const zero = () => Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Record<StateType, number>;

const run = (id: string, type: StateType, start: number, over: Partial<FlowRunSummary> = {}): FlowRunSummary => ({
  id,
  flowName: 'etl',
  name: `run-${id}`,
  tags: [],
  state: { type, name: DEFAULT_NAME[type], timestamp: start },
  parentFlowRunId: null,
  deploymentId: null,
  startTime: start,
  endTime: null,
  durationMs: null,
  expectedStartTime: null,
  createdAt: start,
  updatedAt: start,
  taskRunCount: 0,
  taskStateCounts: {},
  ...over,
});

const pages = (items: FlowRunSummary[][], nextCursor: string | null = null): InfiniteData<ListFlowRunsResponse, string | null> => {
  const counts = zero();
  for (const p of items) for (const r of p) counts[r.state.type]++;
  return {
    pages: items.map((p, i) => ({ items: p, nextCursor: i === items.length - 1 ? nextCursor : `c${i}`, counts })),
    pageParams: items.map((_, i) => (i ? `c${i - 1}` : null)),
  };
};
const ids = (d: InfiniteData<ListFlowRunsResponse, string | null>) => d.pages.map((p) => p.items.map((r) => r.id));
const ctx = { now: 10_000, fetchedAt: 5_000 };
const f = (over: Partial<RunsFilter> = {}): RunsFilter => ({ ...DEFAULT_FILTER, ...over });

describe('run list patching', () => {
  it('updates a loaded row in place and moves the counts', () => {
    const data = pages([[run('b', 'RUNNING', 2000), run('a', 'RUNNING', 1000)]]);
    const res = patchRunList(data, [run('a', 'COMPLETED', 1000, { updatedAt: 6000 })], [], f(), ctx);
    expect(ids(res.data)).toEqual([['b', 'a']]);
    expect(res.data.pages[0]?.items[1]?.state.type).toBe('COMPLETED');
    expect(res.data.pages[0]?.counts).toMatchObject({ RUNNING: 1, COMPLETED: 1 });
    expect(res.stale).toBe(false);
    expect(data.pages[0]?.items[1]?.state.type).toBe('RUNNING'); // input untouched
  });

  it('ignores an older echo of a row', () => {
    const data = pages([[run('a', 'COMPLETED', 1000, { updatedAt: 7000 })]]);
    const res = patchRunList(data, [run('a', 'RUNNING', 1000, { updatedAt: 6000 })], [], f(), ctx);
    expect(res.data.pages[0]?.items[0]?.state.type).toBe('COMPLETED');
  });

  it('inserts a new matching run at the top of a newest-first list', () => {
    const data = pages([[run('b', 'RUNNING', 2000)], [run('a', 'RUNNING', 1000)]], 'more');
    const res = patchRunList(data, [run('n', 'RUNNING', 9000, { createdAt: 9000 })], [], f(), ctx);
    expect(ids(res.data)).toEqual([['n', 'b'], ['a']]);
    expect(res.data.pages[0]?.counts.RUNNING).toBe(3);
    expect(res.stale).toBe(false);
  });

  it('drops a row that leaves the state filter, and adds one that enters it', () => {
    const data = pages([[run('b', 'FAILED', 2000), run('a', 'FAILED', 1000)]]);
    const res = patchRunList(data, [run('a', 'RUNNING', 1000, { updatedAt: 6000 }), run('x', 'FAILED', 1500, { createdAt: 1000, updatedAt: 6000 })], [], f({ stateType: ['FAILED'] }), ctx);
    expect(ids(res.data)).toEqual([['b', 'x']]);
  });

  it('does not insert runs that do not match, and marks the list stale when only the server can place a run', () => {
    const data = pages([[run('a', 'FAILED', 1000)]]);
    const other = patchRunList(data, [run('n', 'RUNNING', 9000, { createdAt: 9000 })], [], f({ stateType: ['FAILED'] }), ctx);
    expect(ids(other.data)).toEqual([['a']]);
    expect(other.data.pages[0]?.counts.RUNNING).toBe(1); // the chip still counts it
    const sorted = patchRunList(data, [run('n', 'FAILED', 9000, { createdAt: 9000 })], [], f({ sort: 'duration_desc' }), ctx);
    expect(ids(sorted.data)).toEqual([['a']]);
    expect(sorted.stale).toBe(true);
    // Older than the loaded rows: the next page brings it; the counts need a refresh.
    const old = patchRunList(pages([[run('b', 'RUNNING', 2000)]], 'more'), [run('z', 'FAILED', 100, { createdAt: 100, updatedAt: 6000 })], [], f(), ctx);
    expect(ids(old.data)).toEqual([['b']]);
    expect(old.stale).toBe(false);
    expect(old.countsUnknown).toBe(true);
    const search = patchRunList(data, [run('n', 'FAILED', 9000, { createdAt: 9000 })], [], f({ q: 'in-parameters' }), ctx);
    expect(search.stale).toBe(true);
  });

  it('removes deleted runs', () => {
    const data = pages([[run('b', 'RUNNING', 2000), run('a', 'FAILED', 1000)]]);
    const res = patchRunList(data, [], ['a'], f(), ctx);
    expect(ids(res.data)).toEqual([['b']]);
    expect(res.data.pages[0]?.counts.FAILED).toBe(0);
  });
});

describe('detail, task runs and logs', () => {
  const detail = (): FlowRunDetail => ({
    ...run('a', 'RUNNING', 1000),
    parameters: null,
    result: null,
    error: null,
    states: [{ type: 'RUNNING', name: 'Running', timestamp: 1000 }],
    parent: null,
    children: [],
    flowVersion: null,
  });

  it('appends the new state to the history and asks for a refetch once terminal', () => {
    const paused = patchDetail(detail(), run('a', 'PAUSED', 1000, { state: { type: 'PAUSED', name: 'Paused', timestamp: 2000 }, updatedAt: 2000 }));
    expect(paused.data.states.map((s) => s.name)).toEqual(['Running', 'Paused']);
    expect(paused.refetch).toBe(false);
    const done = patchDetail(paused.data, run('a', 'COMPLETED', 1000, { updatedAt: 3000, state: { type: 'COMPLETED', name: 'Completed', timestamp: 3000 } }));
    expect(done.data.state.type).toBe('COMPLETED');
    expect(done.refetch).toBe(true);
    expect(patchDetail(done.data, run('a', 'COMPLETED', 1000, { updatedAt: 3000, state: { type: 'COMPLETED', name: 'Completed', timestamp: 3000 } })).data.states).toHaveLength(3);
  });

  const task = (id: string, type: StateType, ts: number): TaskRunSummary => ({
    id,
    flowRunId: 'a',
    taskName: 't',
    taskKey: 't',
    name: id,
    tags: [],
    mapIndex: null,
    state: { type, name: type === 'RUNNING' ? 'Running' : 'Completed', timestamp: ts },
    attempts: 1,
    startTime: ts,
    endTime: null,
    durationMs: null,
    error: null,
    createdAt: ts,
  });

  it('upserts task runs, keeping order and refusing older states', () => {
    const list = [task('t1', 'RUNNING', 10)];
    const next = patchTaskRuns(list, [task('t2', 'RUNNING', 11), task('t1', 'COMPLETED', 12)]);
    expect(next.map((t) => `${t.id}:${t.state.type}`)).toEqual(['t1:COMPLETED', 't2:RUNNING']);
    expect(patchTaskRuns(next, [task('t1', 'RUNNING', 10)])[0]?.state.type).toBe('COMPLETED');
  });

  const line = (id: string, level: number, message: string, over: Partial<LogLine> = {}): LogLine => ({ id, flowRunId: 'a', taskRunId: null, level, message, timestamp: Number(id.slice(1)), ...over });
  const logs = (items: LogLine[], nextCursor: string | null = null): InfiniteData<ListLogsResponse, string | null> => ({ pages: [{ items, nextCursor, prevCursor: null }], pageParams: [null] });

  it('appends live lines to a fully loaded tail, respecting level and search', () => {
    const data = logs([line('l1', 20, 'start')]);
    const next = appendLogs(data, [line('l2', 10, 'debug rows'), line('l3', 40, 'Rows failed'), line('l1', 20, 'start'), line('l4', 40, 'other', { flowRunId: 'b' })], { flowRunId: 'a' }, { minLevel: 20, q: 'rows' });
    expect(next.pages[0]?.items.map((l) => l.id)).toEqual(['l1', 'l3']);
    expect(appendLogs(logs([line('l1', 20, 'x')], 'more'), [line('l2', 20, 'y')], { flowRunId: 'a' }, {})).toEqual(logs([line('l1', 20, 'x')], 'more'));
  });

  it('merges batches: latest version of each run, logs once, deletions win', () => {
    const b = (cursor: number, over: Partial<DeltaBatch>): DeltaBatch => ({ cursor, flowRuns: [], taskRuns: [], logs: [], deletedFlowRunIds: [], ...over });
    const merged = mergeBatches([
      b(1, { flowRuns: [run('a', 'RUNNING', 1, { updatedAt: 1 }), run('x', 'RUNNING', 1)], logs: [line('l1', 20, 'a')] }),
      b(3, { flowRuns: [run('a', 'COMPLETED', 1, { updatedAt: 2 })], logs: [line('l1', 20, 'a'), line('l2', 20, 'b')] }),
      b(2, { deletedFlowRunIds: ['x'] }),
    ]);
    expect(merged.cursor).toBe(3);
    expect(merged.flowRuns.map((r) => `${r.id}:${r.state.type}`)).toEqual(['a:COMPLETED']);
    expect(merged.logs.map((l) => l.id)).toEqual(['l1', 'l2']);
    expect(merged.deletedFlowRunIds).toEqual(['x']);
  });
});

describe('applying deltas to a real query cache', () => {
  it('patches every cached list, detail, task list and log tail', () => {
    const qc = new QueryClient();
    const all = f();
    const failed = f({ stateType: ['FAILED'] });
    qc.setQueryData(flowRunKeys.list(all), pages([[run('a', 'RUNNING', 1000)]]), { updatedAt: 5000 });
    qc.setQueryData(flowRunKeys.list(failed), pages([[]]), { updatedAt: 5000 });
    qc.setQueryData(taskRunKeys.list('a'), []);
    qc.setQueryData(logKeys.list({ flowRunId: 'a' }, {}), logs([]));
    const failedRun = run('a', 'FAILED', 1000, { updatedAt: 6000, state: { type: 'FAILED', name: 'Failed', timestamp: 6000, message: 'boom' } });
    applyDelta(qc, { cursor: 7, flowRuns: [failedRun], taskRuns: [{ ...taskOf('a') }], logs: [line('l9', 40, 'boom')], deletedFlowRunIds: [] }, { now: 10_000 });
    const allData = qc.getQueryData<InfiniteData<ListFlowRunsResponse, string | null>>(flowRunKeys.list(all));
    expect(allData?.pages[0]?.items[0]?.state.type).toBe('FAILED');
    // Created before the failed list was fetched, it is placed by start time without a refetch.
    const failedData = qc.getQueryData<InfiniteData<ListFlowRunsResponse, string | null>>(flowRunKeys.list(failed));
    expect(failedData?.pages[0]?.items.map((r) => r.id)).toEqual(['a']);
    expect(qc.getQueryState(flowRunKeys.list(failed))?.isInvalidated).toBe(false);
    expect(qc.getQueryState(flowRunKeys.list(all))?.isInvalidated).toBe(false);
    expect(qc.getQueryData<TaskRunSummary[]>(taskRunKeys.list('a'))).toHaveLength(1);
    expect(qc.getQueryData<InfiniteData<ListLogsResponse, string | null>>(logKeys.list({ flowRunId: 'a' }, {}))?.pages[0]?.items).toHaveLength(1);
  });
});

describe('stale marks survive patches', () => {
  it('keeps a list stale (to refetch when shown) even after a delta patches it', () => {
    const qc = new QueryClient();
    const key = flowRunKeys.list(f());
    qc.setQueryData(key, pages([[run('a', 'RUNNING', 1000)]]), { updatedAt: 5000 });
    void qc.invalidateQueries({ queryKey: key, refetchType: 'none' });
    applyDelta(qc, { cursor: 1, flowRuns: [run('a', 'COMPLETED', 1000, { updatedAt: 6000 })], taskRuns: [], logs: [], deletedFlowRunIds: [] }, { now: 10_000 });
    expect(qc.getQueryData<InfiniteData<ListFlowRunsResponse, string | null>>(key)?.pages[0]?.items[0]?.state.type).toBe('COMPLETED');
    expect(qc.getQueryState(key)?.isInvalidated).toBe(true);
  });
});

function taskOf(flowRunId: string): TaskRunSummary {
  return { id: 't1', flowRunId, taskName: 't', taskKey: 't', name: 't-0', tags: [], mapIndex: null, state: { type: 'RUNNING', name: 'Running', timestamp: 1 }, attempts: 1, startTime: 1, endTime: null, durationMs: null, error: null, createdAt: 1 };
}
function line(id: string, level: number, message: string): LogLine {
  return { id, flowRunId: 'a', taskRunId: null, level, message, timestamp: 1 };
}
function logs(items: LogLine[]): InfiniteData<ListLogsResponse, string | null> {
  return { pages: [{ items, nextCursor: null, prevCursor: null }], pageParams: [null] };
}

describe('coalescing', () => {
  it('hands a burst over once per frame, merged', () => {
    const frames: (() => void)[] = [];
    const flushed: DeltaBatch[] = [];
    const c = createCoalescer((b) => flushed.push(b), { frame: (cb) => frames.push(cb), timeout: () => 0, clearTimeout: () => {} });
    for (let i = 0; i < 1000; i++) c.push({ cursor: i, flowRuns: [run(String(i % 10), 'RUNNING', i, { updatedAt: i })], taskRuns: [], logs: [], deletedFlowRunIds: [] });
    expect(flushed).toHaveLength(0);
    expect(frames).toHaveLength(1);
    frames[0]?.();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]?.flowRuns).toHaveLength(10);
    expect(flushed[0]?.cursor).toBe(999);
  });
});

describe('coalescing in a hidden tab', () => {
  it('falls back to a timer when frames do not fire, and flushes once', () => {
    let timer: (() => void) | null = null;
    const flushed: DeltaBatch[] = [];
    const c = createCoalescer((b) => flushed.push(b), {
      frame: () => undefined, // a background tab: no animation frames
      timeout: (cb) => {
        timer = cb;
        return 1;
      },
      clearTimeout: () => {},
    });
    c.push({ cursor: 1, flowRuns: [], taskRuns: [], logs: [], deletedFlowRunIds: ['x'] });
    c.push({ cursor: 2, flowRuns: [], taskRuns: [], logs: [], deletedFlowRunIds: ['y'] });
    expect(flushed).toHaveLength(0);
    (timer as (() => void) | null)?.();
    expect(flushed.map((b) => b.deletedFlowRunIds)).toEqual([['x', 'y']]);
    expect(c.pendingCount).toBe(0);
  });
});

describe('deployments follow live deltas', () => {
  const batch = (runs: FlowRunSummary[]): DeltaBatch => ({ cursor: 1, flowRuns: runs, taskRuns: [], logs: [], deletedFlowRunIds: [] });
  it('asks for a deployments refresh when a run of a deployment changes, not for other runs', () => {
    const qc = new QueryClient();
    let asked = 0;
    const opts = { onDeploymentRunsChanged: () => void asked++ };
    applyDelta(qc, batch([run('plain', 'RUNNING', 1)]), opts);
    expect(asked).toBe(0);
    applyDelta(qc, batch([run('deployed', 'COMPLETED', 1, { deploymentId: 'd1' })]), opts);
    expect(asked).toBe(1);
  });
});
