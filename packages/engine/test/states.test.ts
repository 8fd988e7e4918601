/** Every path of ARCHITECTURE §2, the final-state rules, retries, timeouts and caching. */
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InvalidOptionError,
  MissingContextError,
  exponentialBackoff,
  flow,
  getRunContext,
  getRunLogger,
  task,
  unmapped,
  type FakeClock,
  type MemoryReporter,
} from '../src/index.js';
import { setup } from './helpers.js';

let reporter: MemoryReporter;
let clock: FakeClock;
beforeEach(() => ({ reporter, clock } = setup()));

const lastFlowRun = () => reporter.flowRunIds().at(-1)!;
const finalOf = (id: string) => reporter.statesOf(id).at(-1)!;

describe('final flow state', () => {
  it('a flow that returns is Completed with its result previewed', async () => {
    const f = flow({ name: 'ok' }, async (x: number) => ({ doubled: x * 2 }));
    const state = await f.withOptions({ returnState: true })(21);
    expect(state.isCompleted()).toBe(true);
    expect(state.result()).toEqual({ doubled: 42 });
    const last = finalOf(lastFlowRun());
    expect(last.result).toEqual({ text: '{"doubled":42}', type: 'object', exact: true, truncated: false });
  });

  it('a flow that throws is Failed; returnState never throws', async () => {
    const f = flow({ name: 'bad' }, async () => {
      throw new TypeError('boom');
    });
    const state = await f.withOptions({ returnState: true })();
    expect(state.isFailed()).toBe(true);
    expect(state.message).toBe('TypeError: boom');
    expect(state.result({ raiseOnFailure: false })).toBeInstanceOf(TypeError);
    expect(() => state.result()).toThrow('boom');
  });

  it('a task failure the flow never looked at fails the flow, naming the task', async () => {
    const flaky = task({ name: 'flaky' }, async () => {
      throw new Error('disk full');
    });
    const f = flow({ name: 'careless' }, async () => {
      flaky.submit();
      void flaky(); // not awaited either
      return 'done';
    });
    const state = await f.withOptions({ returnState: true })();
    expect(state.name).toBe('Failed');
    expect(state.message).toContain("'flaky-0'");
    expect(state.message).toContain("'flaky-1'");
    expect(state.message).toContain('disk full');
  });

  it('a task failure the flow caught, or whose state it read, leaves the flow Completed', async () => {
    const flaky = task({ name: 'flaky' }, async () => {
      throw new Error('nope');
    });
    const f = flow({ name: 'careful' }, async () => {
      try {
        await flaky();
      } catch {
        /* handled */
      }
      const fut = flaky.submit();
      const s = await fut.wait();
      return s.isFailed();
    });
    expect(await f()).toBe(true);
    expect(finalOf(lastFlowRun()).state.name).toBe('Completed');
  });

  it('waits for submitted tasks before completing', async () => {
    const slow = task({ name: 'slow' }, async () => {
      await clock.sleep(5000);
      return 1;
    });
    const f = flow({ name: 'fire-and-forget' }, async () => {
      slow.submit();
      return 'returned';
    });
    await f();
    const [t] = reporter.taskRunIds();
    expect(reporter.historyOf(t!)).toEqual(['Pending', 'Running', 'Completed']);
    expect(reporter.events.at(-1)).toMatchObject({ kind: 'flow-run-state', state: { name: 'Completed' } });
  });
});

describe('retries', () => {
  it('delays from a list, then the last one repeats', async () => {
    let n = 0;
    const t = task({ name: 't', retries: 3, retryDelaySeconds: [1, 5] }, () => {
      if (++n < 4) throw new Error(`fail ${n}`);
      return n;
    });
    await flow({ name: 'f' }, () => t())();
    const states = reporter.statesOf(reporter.taskRunIds()[0]!);
    const waits = states.filter((s) => s.state.name === 'AwaitingRetry').map((s) => s.state.data?.scheduledTime as number - s.state.timestamp);
    expect(waits).toEqual([1000, 5000, 5000]);
    expect(states.at(-1)!.state.name).toBe('Completed');
    expect(states.filter((s) => s.state.name === 'Retrying').map((s) => (s as { attempt: number }).attempt)).toEqual([2, 3, 4]);
  });

  it('exponentialBackoff doubles the delay', async () => {
    expect([1, 2, 3, 4].map(exponentialBackoff(2))).toEqual([2, 4, 8, 16]);
  });

  it('jitter keeps delays within the factor', async () => {
    let n = 0;
    const t = task({ name: 't', retries: 5, retryDelaySeconds: 10, retryJitterFactor: 0.5 }, () => {
      if (++n < 6) throw new Error('x');
    });
    await flow({ name: 'f' }, () => t())();
    const waits = reporter
      .statesOf(reporter.taskRunIds()[0]!)
      .filter((s) => s.state.name === 'AwaitingRetry')
      .map((s) => (s.state.data?.scheduledTime as number) - s.state.timestamp);
    expect(waits).toHaveLength(5);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(5000);
      expect(w).toBeLessThanOrEqual(15000);
    }
  });

  it('retryCondition false fails at once', async () => {
    const t = task({ name: 't', retries: 3, retryCondition: (e) => !(e instanceof TypeError) }, () => {
      throw new TypeError('bad input');
    });
    await flow({ name: 'f' }, () => t().catch(() => 'x'))();
    expect(reporter.historyOf(reporter.taskRunIds()[0]!)).toEqual(['Pending', 'Running', 'Failed']);
  });

  it('flow-level retries go AwaitingRetry → Retrying → Completed', async () => {
    let n = 0;
    const f = flow({ name: 'f', retries: 1, retryDelaySeconds: 3 }, () => {
      if (++n === 1) throw new Error('first time');
      return n;
    });
    expect(await f()).toBe(2);
    expect(reporter.historyOf(lastFlowRun())).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
    expect(reporter.statesOf(lastFlowRun())[2]!.state.message).toContain('first time');
  });
});

describe('timeouts', () => {
  it('a task past its timeout is Failed named TimedOut and its signal aborts', async () => {
    let aborted = false;
    const t = task({ name: 'slow', timeoutSeconds: 2 }, async () => {
      const { signal } = getRunContext();
      signal.addEventListener('abort', () => (aborted = true));
      await clock.sleep(60_000);
      return 'late';
    });
    const state = await flow({ name: 'f' }, () => t()).withOptions({ returnState: true })();
    expect(state.isFailed()).toBe(true);
    const tr = reporter.taskRunIds()[0]!;
    expect(reporter.historyOf(tr)).toEqual(['Pending', 'Running', 'TimedOut']);
    expect(finalOf(tr).state.message).toContain('timeout of 2s');
    expect(aborted).toBe(true);
  });

  it('a flow that timed out retries with a fresh signal: the next attempt can complete', async () => {
    let attempts = 0;
    const step = task({ name: 'step' }, async () => {
      const n = ++attempts;
      await clock.sleep(n === 1 ? 60_000 : 10, getRunContext().signal);
      return n;
    });
    const f = flow({ name: 'f', timeoutSeconds: 5, retries: 1 }, async () => step());
    expect(await f()).toBe(2);
    expect(reporter.historyOf(lastFlowRun())).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
    const [first, second] = reporter.taskRunIds();
    expect(reporter.historyOf(first!)).toEqual(['Pending', 'Running', 'TimedOut']); // aborted by the flow's timeout
    expect(reporter.historyOf(second!)).toEqual(['Pending', 'Running', 'Completed']);
  });

  it('a flow past its timeout is TimedOut', async () => {
    const f = flow({ name: 'f', timeoutSeconds: 1 }, async () => {
      await clock.sleep(10_000);
    });
    const state = await f.withOptions({ returnState: true })();
    expect(state.name).toBe('TimedOut');
    expect(state.type).toBe('FAILED');
  });
});

describe('caching', () => {
  it('a second run with the same key is Completed named Cached, until it expires', async () => {
    let calls = 0;
    const t = task(
      { name: 'expensive', cacheKey: (_ctx, [x]) => String(x), cacheExpirationSeconds: 60 },
      (x: number) => {
        calls++;
        return x * 10;
      },
    );
    const f = flow({ name: 'f' }, async () => [await t(1), await t(1), await t(2)]);
    expect(await f()).toEqual([10, 10, 20]);
    expect(calls).toBe(2);
    const runs = reporter.taskRunIds();
    expect(reporter.historyOf(runs[1]!)).toEqual(['Pending', 'Cached']);
    await clock.advance(61_000);
    await f();
    expect(calls).toBe(4);
  });
});

describe('hooks', () => {
  it('every hook kind runs after its state; a throwing hook is logged and changes nothing', async () => {
    const calls: string[] = [];
    const t = task(
      {
        name: 't',
        onRunning: [(_t, run) => void calls.push(`task running ${run.state.name}`)],
        onCompletion: [
          () => {
            throw new Error('hook exploded');
          },
          (_t, _r, s) => void calls.push(`task ${s.name}`),
        ],
      },
      () => 1,
    );
    const f = flow(
      { name: 'f', onRunning: [(_f, run) => void calls.push(`flow running ${run.state.name}`)] },
      async () => t(),
    );
    expect(await f()).toBe(1);
    expect(calls).toEqual(['flow running Running', 'task running Running', 'task Completed']);
    const tr = reporter.taskRunIds()[0]!;
    expect(reporter.historyOf(tr)).toEqual(['Pending', 'Running', 'Completed']);
    const logs = reporter.logsOf(tr);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.level).toBe(40);
    expect(logs[0]!.message).toContain("onCompletion hook 'anonymous' failed: Error: hook exploded");
  });
});

describe('bad input', () => {
  it.each([
    [{ retries: -1 }, 'retries'],
    [{ retries: 1.5 }, 'retries'],
    [{ onFailure: ['not a function'] }, 'onFailure.0'],
    [{ onFailure: () => 1 }, 'onFailure'],
    [{ retryDelaySeconds: Array.from({ length: 51 }, () => 1) }, 'retryDelaySeconds'],
    [{ timeoutSeconds: 0 }, 'timeoutSeconds'],
    [{ retires: 3 }, 'retires'],
  ])('task option %j throws InvalidOptionError naming %s', (opts, option) => {
    let err: unknown;
    try {
      task(opts as never, () => 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe(option);
    expect((err as Error).message).toContain(`\`${option}\``);
  });

  it('flow parameters failing the schema give Failed listing the issues, and no user code runs', async () => {
    let ran = false;
    const f = flow(
      { name: 'typed', parameters: z.object({ city: z.string(), days: z.number().int().positive() }) },
      async (p: { city: string; days: number }) => {
        ran = true;
        return p;
      },
    );
    const state = await f.withOptions({ returnState: true })({ city: 42, days: -1 } as never);
    expect(ran).toBe(false);
    expect(state.name).toBe('Failed');
    expect(state.message).toMatch(/city: .*string/);
    expect(state.message).toMatch(/days: /);
    expect(reporter.historyOf(lastFlowRun())).toEqual(['Pending', 'Failed']);
  });

  it('results and parameters that are not JSON become bounded previews and never crash', async () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    const weird = { fn: () => 1, big: 10n, cyc, map: new Map([[1, 2]]), long: 'x'.repeat(200_000) };
    const f = flow({ name: 'weird' }, async (_p: unknown) => weird);
    const state = await f.withOptions({ returnState: true })(weird);
    expect(state.isCompleted()).toBe(true);
    const first = reporter.statesOf(lastFlowRun())[0] as { flowRun: { parameters: { text: string; exact: boolean } } };
    expect(first.flowRun.parameters.exact).toBe(false);
    expect(first.flowRun.parameters.text).toContain('[Function fn]');
    expect(first.flowRun.parameters.text).toContain('10n');
    expect(first.flowRun.parameters.text).toContain('[Circular]');
    expect(first.flowRun.parameters.text.length).toBeLessThan(70_000);
    const result = finalOf(lastFlowRun()).result!;
    expect(result.truncated).toBe(true);
  });

  it('getRunLogger outside a run throws a clear error', () => {
    expect(() => getRunLogger()).toThrow(MissingContextError);
    expect(() => getRunLogger()).toThrow(/outside a flow or task run/);
  });

  it('a task called outside a flow rejects with a clear error', async () => {
    const t = task({ name: 'lonely' }, () => 1);
    await expect(t()).rejects.toThrow(/called outside a flow/);
  });

  it('map with iterables of different lengths throws', async () => {
    const t = task({ name: 'add' }, (a: number, b: number) => a + b);
    const f = flow({ name: 'f' }, async () => t.map([1, 2], [1]).result());
    await expect(f()).rejects.toThrow(/different lengths \(2, 1\)/);
  });
});

describe('futures, map, subflows, concurrency, logs', () => {
  it('map with unmapped, futures as arguments', async () => {
    const add = task({ name: 'add' }, (a: number, b: number) => a + b);
    const f = flow({ name: 'f' }, async () => {
      const sums = add.map([1, 2, 3], unmapped(10));
      const total = add.submit(sums[0]!, sums[2]!);
      return [await sums.result(), await total.result()];
    });
    expect(await f()).toEqual([[11, 12, 13], 24]);
  });

  it('a failed upstream future fails the downstream task with UpstreamTaskError', async () => {
    const boom = task({ name: 'boom' }, () => {
      throw new Error('x');
    });
    const next = task({ name: 'next' }, (v: number) => v);
    const f = flow({ name: 'f' }, async () => next.submit(boom.submit()).result());
    const state = await f.withOptions({ returnState: true })();
    expect(state.isFailed()).toBe(true);
    expect(state.message).toContain("Upstream task run 'boom-0' ended Failed");
  });

  it('a flow called in a flow is a child run linked to its parent', async () => {
    const child = flow({ name: 'child' }, async (x: number) => x + 1);
    const parent = flow({ name: 'parent' }, async () => child(1));
    expect(await parent()).toBe(2);
    const [parentId] = reporter.flowRunIds('parent');
    const [childId] = reporter.flowRunIds('child');
    const childEvent = reporter.statesOf(childId!)[0] as { flowRun: { parentFlowRunId?: string } };
    expect(childEvent.flowRun.parentFlowRunId).toBe(parentId);
  });

  it('maxConcurrency bounds the running submitted tasks', async () => {
    let running = 0;
    let peak = 0;
    const t = task({ name: 't' }, async (_n: number) => {
      peak = Math.max(peak, ++running);
      await clock.sleep(100);
      running--;
    });
    const f = flow({ name: 'f', maxConcurrency: 2 }, async () => t.map([1, 2, 3, 4, 5, 6]).wait());
    await f();
    expect(peak).toBe(2);
  });

  it('logs carry their run; logConsole captures console output', async () => {
    const t = task({ name: 't', logConsole: true }, () => {
      console.log('from console %d', 7);
      getRunLogger().critical('critical line');
    });
    const f = flow({ name: 'f' }, async () => {
      getRunLogger().debug('flow debug');
      await t();
    });
    await f();
    const tr = reporter.taskRunIds()[0]!;
    expect(reporter.logsOf(tr).map((l) => [l.level, l.message])).toEqual([
      [20, 'from console 7'],
      [50, 'critical line'],
    ]);
    expect(reporter.logsOf(lastFlowRun()).map((l) => l.message)).toEqual(['flow debug', 'from console 7', 'critical line']);
  });

  it('per-run seq numbers increase by one across states and logs', async () => {
    const f = flow({ name: 'f' }, async () => getRunLogger().info('x'));
    await f();
    const seqs = reporter.events.filter((e) => e.runId === lastFlowRun()).map((e) => e.seq);
    expect(seqs).toEqual([0, 1, 2, 3]);
  });
});
