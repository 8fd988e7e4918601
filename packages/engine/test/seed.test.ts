/**
 * The examples of the seed document (shared/seed), ported from Python, with the exact state
 * history of every run.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { flow, getRunLogger, task, type MemoryReporter, type FakeClock } from '../src/index.js';
import { setup } from './helpers.js';

let reporter: MemoryReporter;
let clock: FakeClock;
beforeEach(() => ({ reporter, clock } = setup()));

describe('seed examples', () => {
  it('mapped data pipeline: every mapped run completes, results in order', async () => {
    const processData = task({ name: 'process-data' }, (n: number) => n * 2);
    const dataPipeline = flow({ name: 'data-pipeline' }, async () => {
      const processed = processData.map([1, 2, 3]);
      const results = await Promise.all(processed.map((f) => f.result()));
      getRunLogger().info(`all tasks succeeded: ${results.join(',')}`);
      return results;
    });
    expect(await dataPipeline()).toEqual([2, 4, 6]);
    const [flowRunId] = reporter.flowRunIds('data-pipeline');
    expect(reporter.historyOf(flowRunId!)).toEqual(['Pending', 'Running', 'Completed']);
    const tasks = reporter.taskRunIds({ flowRunId: flowRunId! });
    expect(tasks).toHaveLength(3);
    for (const id of tasks) expect(reporter.historyOf(id)).toEqual(['Pending', 'Running', 'Completed']);
    const mapIndexes = tasks.map((id) => reporter.statesOf(id)[0]!.kind === 'task-run-state' && (reporter.statesOf(id)[0] as { taskRun: { mapIndex?: number } }).taskRun.mapIndex);
    expect(mapIndexes).toEqual([0, 1, 2]);
    expect(reporter.logsOf(flowRunId!).map((l) => l.message)).toEqual(['all tasks succeeded: 2,4,6']);
  });

  it('onCompletion hook runs after the Completed state is recorded', async () => {
    const seen: string[] = [];
    const myFlow = flow(
      {
        name: 'my-flow',
        onCompletion: [
          (f, run, state) => {
            seen.push(`${f.name}:${state.name}:${reporter.historyOf(run.id).join('>')}`);
          },
        ],
      },
      async () => 'ok',
    );
    await myFlow();
    expect(seen).toEqual(['my-flow:Completed:Pending>Running>Completed']);
  });

  it('resilient flow: the flaky fetch retries, then the flow falls back to the backup', async () => {
    let calls = 0;
    const fetchData = task({ name: 'fetch-data', retries: 2, retryDelaySeconds: 1 }, async () => {
      calls++;
      throw new Error('data fetch failed');
    });
    const backupData = task({ name: 'backup-data' }, async () => 'backup data');
    const resilientFlow = flow({ name: 'resilient-flow' }, async () => {
      let data: string;
      try {
        data = await fetchData();
      } catch (e) {
        getRunLogger().warning(`main task failed, using backup: ${(e as Error).message}`);
        data = await backupData();
      }
      getRunLogger().info(`final data: ${data}`);
      return data;
    });
    const start = clock.now();
    expect(await resilientFlow()).toBe('backup data');
    expect(calls).toBe(3);
    const [flowRunId] = reporter.flowRunIds();
    expect(reporter.historyOf(flowRunId!)).toEqual(['Pending', 'Running', 'Completed']);
    const [fetchRun] = reporter.taskRunIds({ taskName: 'fetch-data' });
    expect(reporter.historyOf(fetchRun!)).toEqual([
      'Pending', 'Running', 'AwaitingRetry', 'Retrying', 'AwaitingRetry', 'Retrying', 'Failed',
    ]);
    const states = reporter.statesOf(fetchRun!);
    expect(states[2]!.state.message).toContain('data fetch failed');
    // one second between each failure and the retry, on the virtual clock
    expect(states[3]!.state.timestamp - states[2]!.state.timestamp).toBe(1000);
    expect(clock.now() - start).toBe(2000);
    const [backupRun] = reporter.taskRunIds({ taskName: 'backup-data' });
    expect(reporter.historyOf(backupRun!)).toEqual(['Pending', 'Running', 'Completed']);
    expect(reporter.logsOf(flowRunId!).map((l) => l.message)).toContain('final data: backup data');
  });

  it('resilient flow: a fetch that succeeds on a retry is used', async () => {
    let calls = 0;
    const fetchData = task({ name: 'fetch-data', retries: 2, retryDelaySeconds: 1 }, async () => {
      if (++calls < 2) throw new Error('data fetch failed');
      return 'data';
    });
    const resilientFlow = flow({ name: 'resilient-flow' }, async () => fetchData());
    expect(await resilientFlow()).toBe('data');
    const [fetchRun] = reporter.taskRunIds();
    expect(reporter.historyOf(fetchRun!)).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
  });

  it('onFailure hook receives the flow, the run and the Failed state; the call throws the error', async () => {
    const notified: string[] = [];
    const errorProneFlow = flow(
      {
        name: 'error-prone-flow',
        onFailure: [(f, _run, state) => void notified.push(`flow ${f.name} failed! state: ${state.name}: ${state.message}`)],
      },
      async () => {
        throw new Error('flow execution failed');
      },
    );
    await expect(errorProneFlow()).rejects.toThrow('flow execution failed');
    expect(notified).toEqual(['flow error-prone-flow failed! state: Failed: Error: flow execution failed']);
    const [id] = reporter.flowRunIds();
    expect(reporter.historyOf(id!)).toEqual(['Pending', 'Running', 'Failed']);
    const failed = reporter.statesOf(id!).at(-1)!;
    expect(failed.error?.message).toBe('flow execution failed');
    expect(failed.error?.stack).toContain('seed.test.ts');
  });

  it('state inspection of a submitted task', async () => {
    const criticalTask = task({ name: 'critical-task' }, async () => {
      getRunLogger().warning('this is an important task');
      return 42;
    });
    const out: unknown[] = [];
    const stateInspectionFlow = flow({ name: 'state-inspection-flow' }, async () => {
      const future = criticalTask.submit();
      out.push(future.isCompleted());
      out.push(await future.result());
      out.push(await future.result({ raiseOnFailure: false }));
      out.push(future.isCompleted());
    });
    await stateInspectionFlow();
    expect(out).toEqual([false, 42, 42, true]);
    const [taskRun] = reporter.taskRunIds();
    expect(reporter.historyOf(taskRun!)).toEqual(['Pending', 'Running', 'Completed']);
    const logs = reporter.logsOf(taskRun!);
    expect(logs.map((l) => [l.level, l.message])).toEqual([[30, 'this is an important task']]);
  });
});
