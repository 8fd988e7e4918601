/** Pause, resume, cancel and crash: commands from outside and signals. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  configure,
  controlFlowRun,
  flow,
  getRunContext,
  MemoryReporter,
  pause,
  task,
  type FakeClock,
} from '../src/index.js';
import { engine } from '../src/runtime.js';
import { setup } from './helpers.js';

let reporter: MemoryReporter;
let clock: FakeClock;
beforeEach(() => ({ reporter, clock } = setup()));

/** Resolves once the reporter has seen `pred` hold. */
function waitFor(pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (pred()) return resolve();
    const off = reporter.subscribe(() => {
      if (pred()) {
        off();
        queueMicrotask(resolve);
      }
    });
  });
}
const hasState = (runId: () => string | undefined, name: string) => () => {
  const id = runId();
  return !!id && reporter.historyOf(id).includes(name as never);
};
const flowId = () => reporter.flowRunIds()[0];

describe('pause and resume', () => {
  it('pause() inside a flow blocks until resumed: Running → Paused → Running → Completed', async () => {
    const f = flow({ name: 'approval' }, async () => {
      await pause({ timeoutSeconds: 600 });
      return 'approved';
    });
    const done = f();
    await waitFor(hasState(flowId, 'Paused'));
    expect(controlFlowRun(flowId()!, 'resume')).toBe(true);
    expect(await done).toBe('approved');
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'Paused', 'Running', 'Completed']);
  });

  it('a pause never resumed fails the run with a message saying so', async () => {
    const f = flow({ name: 'forgotten' }, async () => {
      try {
        await pause({ timeoutSeconds: 30 });
      } catch {
        /* even if the flow swallows it */
      }
      return 'went on';
    });
    const state = await f.withOptions({ returnState: true })();
    expect(state.isFailed()).toBe(true);
    expect(state.message).toContain('never resumed within 30s');
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'Paused', 'Failed']);
  });

  it('a pause from outside takes effect at the next task boundary; running tasks finish', async () => {
    const order: string[] = [];
    const step = task({ name: 'step' }, async (n: number) => {
      order.push(`start ${n}`);
      await clock.sleep(1000);
      order.push(`end ${n}`);
      return n;
    });
    const f = flow({ name: 'pipeline' }, async () => {
      const first = step.submit(1);
      await clock.sleep(10);
      expect(controlFlowRun(getRunContext().flowRun.id, 'pause')).toBe(true);
      await first.result();
      await step(2); // boundary: waits here while paused
      return order;
    });
    const done = f();
    await waitFor(hasState(flowId, 'Paused'));
    expect(order).toEqual(['start 1', 'end 1']);
    controlFlowRun(flowId()!, 'resume');
    expect(await done).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'Paused', 'Running', 'Completed']);
    const second = reporter.taskRunIds()[1]!;
    expect(reporter.historyOf(second)).toEqual(['Pending', 'Running', 'Completed']);
  });

  it('commands that do not fit the state are refused', async () => {
    expect(controlFlowRun('no-such-run', 'cancel')).toBe(false);
    const f = flow({ name: 'f' }, async () => {
      expect(controlFlowRun(getRunContext().flowRun.id, 'resume')).toBe(false);
    });
    await f();
  });
});

describe('cancel', () => {
  it('Cancelling then Cancelled; running tasks see the abort signal, tasks not started never start', async () => {
    let sawAbort = false;
    let laterStarted = false;
    const running = task({ name: 'running' }, async () => {
      const { signal } = getRunContext();
      await clock.sleep(60_000, signal).catch((e) => {
        sawAbort = true;
        throw e;
      });
    });
    const later = task({ name: 'later' }, () => {
      laterStarted = true;
    });
    const onCancellation: string[] = [];
    const f = flow(
      { name: 'cancel-me', onCancellation: [(_f, _r, s) => void onCancellation.push(s.name)] },
      async () => {
        await running();
        await later();
      },
    );
    const done = f.withOptions({ returnState: true })();
    await waitFor(() => reporter.taskRunIds().length === 1 && reporter.historyOf(reporter.taskRunIds()[0]!).includes('Running'));
    expect(controlFlowRun(flowId()!, 'cancel', 'stop please')).toBe(true);
    const state = await done;
    expect(state.isCancelled()).toBe(true);
    expect(sawAbort).toBe(true);
    expect(laterStarted).toBe(false);
    expect(onCancellation).toEqual(['Cancelled']);
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'Cancelling', 'Cancelled']);
    expect(reporter.statesOf(flowId()!)[2]!.state.message).toBe('stop please');
    expect(reporter.historyOf(reporter.taskRunIds()[0]!)).toEqual(['Pending', 'Running', 'Cancelled']);
  });

  it('cancelling a paused run ends it Cancelled', async () => {
    const f = flow({ name: 'paused' }, async () => pause({ timeoutSeconds: 100 }));
    const done = f.withOptions({ returnState: true })();
    await waitFor(hasState(flowId, 'Paused'));
    controlFlowRun(flowId()!, 'cancel');
    expect((await done).name).toBe('Cancelled');
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'Paused', 'Cancelling', 'Cancelled']);
  });
});

describe('crash', () => {
  it('SIGTERM during a run gives Crashed naming the signal, runs onCrashed, flushes, exits 143', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowlight-crash-'));
    const out = path.join(dir, 'events.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/crash-child.ts'), out], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(143);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const states = lines.filter((l) => l.kind === 'flow-run-state') as { state: { name: string; message?: string } }[];
    expect(states.map((s) => s.state.name)).toEqual(['Pending', 'Running', 'Crashed']);
    expect(states.at(-1)!.state.message).toContain('SIGTERM');
    const taskStates = lines.filter((l) => l.kind === 'task-run-state') as { state: { name: string } }[];
    expect(taskStates.map((s) => s.state.name)).toEqual(['Pending', 'Running', 'Crashed']);
    expect(lines.find((l) => l.hook === 'onCrashed')).toMatchObject({ state: 'Crashed' });
  });
});

describe('cancel during a retry delay', () => {
  it('ends the wait at once: Cancelling, then Cancelled, and the flow does not run again', async () => {
    let calls = 0;
    const f = flow({ name: 'retry-later', retries: 3, retryDelaySeconds: 600 }, async () => {
      calls++;
      throw new Error('try again');
    });
    const done = f.withOptions({ returnState: true })();
    await waitFor(hasState(flowId, 'AwaitingRetry'));
    controlFlowRun(flowId()!, 'cancel');
    expect((await done).name).toBe('Cancelled');
    expect(calls).toBe(1);
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Cancelling', 'Cancelled']);
    expect(clock.now() - reporter.statesOf(flowId()!)[2]!.state.timestamp).toBeLessThan(600_000);
  });
});

describe('timeout while paused', () => {
  it('a flow that times out during a pause ends TimedOut; tasks waiting at the boundary never start', async () => {
    let secondStarted = false;
    const first = task({ name: 'first' }, () => 1);
    const second = task({ name: 'second' }, () => {
      secondStarted = true;
    });
    const f = flow({ name: 'paused-too-long', timeoutSeconds: 30 }, async () => {
      await first();
      controlFlowRun(getRunContext().flowRun.id, 'pause');
      await second(); // waits at the boundary
    });
    const start = clock.now();
    const state = await f.withOptions({ returnState: true })();
    expect(state.name).toBe('TimedOut');
    expect(clock.now() - start).toBe(30_000); // at its timeout, not at the pause's own
    expect(secondStarted).toBe(false);
    expect(reporter.historyOf(flowId()!)).toEqual(['Pending', 'Running', 'Paused', 'TimedOut']);
  });
});

describe('a sink that holds task runs back', () => {
  /** A recording sink whose backlog() the test decides. */
  class HoldingReporter extends MemoryReporter {
    hold: Promise<void> | undefined;
    fail = false;
    backlog(): Promise<void> | undefined {
      if (this.fail) throw new Error('cannot tell');
      return this.hold;
    }
  }

  it('a run waiting for it when its flow run crashes never starts', async () => {
    const sink = new HoldingReporter();
    configure({ reporter: sink, printLogs: false });
    let release!: () => void;
    sink.hold = new Promise<void>((r) => (release = r));
    let ran = false;
    const step = task({ name: 'held' }, () => (ran = true));
    const f = flow({ name: 'held-back' }, async () => {
      await step.submit().result();
    });
    const done = f().catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    await engine.crashAll('process going down');
    sink.hold = undefined;
    release();
    await done;
    expect(ran).toBe(false);
    const [taskRunId] = sink.taskRunIds();
    expect(sink.historyOf(taskRunId!)).toEqual(['Crashed']);
  });

  it('one whose backlog check throws does not stop the runs', async () => {
    const sink = new HoldingReporter();
    configure({ reporter: sink, printLogs: false });
    sink.fail = true;
    const step = task({ name: 'step' }, (i: number) => i * 2);
    const f = flow({ name: 'failing-sink' }, async () => Promise.all([1, 2, 3].map((i) => step.submit(i).result())));
    expect(await f()).toEqual([2, 4, 6]);
  });
});
