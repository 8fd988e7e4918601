import { afterAll, describe, expect, it } from 'vitest';
import { ApiReporter, configure, flow, shutdown, task } from '@flowlight/engine';
import type { FlowRunDetail } from '@flowlight/schema';
import { getJson, useTestServer, type TestServer } from './helpers.js';

let srv: TestServer;
useTestServer((s) => (srv = s));
afterAll(() => shutdown());

describe('engine → API delivery under load', () => {
  it('a flow faster than the API waits for it instead of dropping events past the buffer', async () => {
    // 3,000 task runs = 9,000 state events through a buffer of 1,000. The tasks finish in
    // microtasks, so without backpressure the flow would never let the reporter send, and all but
    // the newest 1,000 events would be dropped.
    const warnings: string[] = [];
    configure({ reporter: new ApiReporter({ url: srv.url, maxBuffer: 1000, warn: (m) => warnings.push(m) }), printLogs: false });
    const quick = task({ name: 'quick' }, (i: number) => i);
    const many = flow({ name: 'backpressure' }, async () => {
      for (let chunk = 0; chunk < 10; chunk++) {
        const futures = Array.from({ length: 300 }, (_, i) => quick.submit(chunk * 300 + i));
        for (const f of futures) await f.result();
      }
      return 'done';
    });
    expect(await many()).toBe('done');
    await shutdown();
    expect(warnings.filter((w) => w.includes('dropping'))).toEqual([]);
    const list = await getJson<{ items: { id: string }[] }>(`${srv.url}/api/flow-runs?flow=backpressure`);
    expect(list.items).toHaveLength(1);
    const run = await getJson<FlowRunDetail>(`${srv.url}/api/flow-runs/${list.items[0]!.id}`);
    expect(run.state.type).toBe('COMPLETED');
    expect(run.taskRunCount).toBe(3000);
    expect(run.taskStateCounts).toEqual({ COMPLETED: 3000 });
  });

  it('a flow of quick tasks streams its events while it runs, not when it ends', async () => {
    // 4,000 task runs that finish in microtasks never give the event loop a turn of their own; the
    // reporter takes one per batch of events, so the API (here in the same process, sharing those
    // turns) has stored batches of them before the flow's last line runs. Without the turns: none.
    configure({ reporter: new ApiReporter({ url: srv.url }), printLogs: false });
    const quick = task({ name: 'quick' }, (i: number) => i);
    const before = srv.app.store.counts().taskRuns;
    let storedWhileRunning = 0;
    const busy = flow({ name: 'streaming' }, async () => {
      for (let chunk = 0; chunk < 8; chunk++) {
        const futures = Array.from({ length: 500 }, (_, i) => quick.submit(chunk * 500 + i));
        for (const f of futures) await f.result();
      }
      storedWhileRunning = srv.app.store.counts().taskRuns - before;
    });
    await busy();
    await shutdown();
    expect(storedWhileRunning).toBeGreaterThan(300);
    expect(srv.app.store.counts().taskRuns - before).toBe(4000);
  });

  it('a large batch still fits the limit of binary attachments socket.io takes per packet', async () => {
    // 5,000 events per batch travel as at most 8 JSON chunks (socket.io drops a packet with more
    // than 10 attachments, and with it the connection).
    const warnings: string[] = [];
    configure({ reporter: new ApiReporter({ url: srv.url, batchSize: 5000, warn: (m) => warnings.push(m) }), printLogs: false });
    const step = task({ name: 'step' }, (i: number) => i);
    const wide = flow({ name: 'wide-batches' }, async () => {
      await Promise.all(Array.from({ length: 2000 }, (_, i) => step.submit(i).result()));
    });
    await wide();
    await shutdown();
    expect(warnings).toEqual([]);
    const list = await getJson<{ items: { id: string; taskRunCount: number; state: { type: string } }[] }>(
      `${srv.url}/api/flow-runs?flow=wide-batches`,
    );
    expect(list.items.map((r) => [r.taskRunCount, r.state.type])).toEqual([[2000, 'COMPLETED']]);
  });
});
