import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListLogsResponse, LogLine } from '@flowlight/schema';
import { Events, getJson, postEvents, startTestServer, type TestServer } from './helpers.js';

let srv: TestServer;
const ev = new Events();
const FLOW = 'logs-flow';
const TASK = 'logs-task';
const WORDS = ['alpha', 'bravo', 'charlie', 'delta'];
/** 120 lines: i-th has level by i%4 and the word WORDS[i%4]; task lines are every third. */
const lines = Array.from({ length: 120 }, (_, i) => ({
  i,
  level: [10, 20, 30, 40][i % 4]!,
  message: `line ${i} ${WORDS[i % 4]} processing record-${i}`,
  task: i % 3 === 0,
}));

beforeAll(async () => {
  srv = await startTestServer();
  const batch: unknown[] = [ev.flow(FLOW, 'RUNNING'), ev.task(TASK, FLOW, 'RUNNING')];
  for (const l of lines) {
    batch.push(ev.log(FLOW, l.message, { level: l.level, ts: 1_700_000_000_000 + l.i * 10, ...(l.task ? { taskRunId: TASK } : {}) }));
  }
  // Another run with the same words must never leak into this run's search.
  batch.push(ev.flow('other-flow', 'RUNNING'), ev.log('other-flow', 'alpha bravo charlie delta from elsewhere'));
  const r = await postEvents(srv.url, batch);
  expect(r.rejected).toEqual([]);
});
afterAll(() => srv.close());

const page = (qs: string) => getJson<ListLogsResponse>(`${srv.url}/api/flow-runs/${FLOW}/logs?${qs}`);
const nums = (items: LogLine[]) => items.map((l) => Number(l.message.split(' ')[1]));

describe('logs', () => {
  it('pages forward and backward with cursors, always in time order', async () => {
    const seen: number[] = [];
    let p = await page('limit=25');
    expect(p.prevCursor).toBeNull();
    seen.push(...nums(p.items));
    while (p.nextCursor) {
      p = await page(`limit=25&cursor=${p.nextCursor}`);
      expect(p.prevCursor).not.toBeNull();
      seen.push(...nums(p.items));
    }
    expect(seen).toEqual(lines.map((l) => l.i));
    // Tail, then walk back to the start.
    const back: number[][] = [];
    let b = await page('limit=50&direction=backward');
    expect(b.nextCursor).toBeNull();
    back.push(nums(b.items));
    while (b.prevCursor) {
      b = await page(`limit=50&direction=backward&cursor=${b.prevCursor}`);
      expect(b.nextCursor).not.toBeNull();
      back.push(nums(b.items));
    }
    expect(back.reverse().flat()).toEqual(lines.map((l) => l.i));
    // From the middle, forward from a backward page's nextCursor continues where it ended.
    const mid = await page('limit=10&direction=backward');
    const before = await page(`limit=10&direction=backward&cursor=${mid.prevCursor}`);
    const again = await page(`limit=10&cursor=${before.nextCursor}`);
    expect(nums(again.items)).toEqual(nums(mid.items));
  });

  it('filters by minimum level', async () => {
    const p = await page('minLevel=30&limit=500');
    expect(nums(p.items)).toEqual(lines.filter((l) => l.level >= 30).map((l) => l.i));
  });

  it('searches the text with FTS5, inside this run only, combined with level and cursor', async () => {
    const p = await page('q=charlie&limit=500');
    expect(nums(p.items)).toEqual(lines.filter((l) => l.message.includes('charlie')).map((l) => l.i));
    const two = await page('q=record-7&limit=500');
    expect(nums(two.items)).toEqual([7]);
    const combo = await page('q=processing%20bravo&minLevel=20&limit=7');
    const want = lines.filter((l) => l.message.includes('bravo') && l.level >= 20).map((l) => l.i);
    const got = [...nums(combo.items)];
    let c = combo.nextCursor;
    while (c) {
      const n = await page(`q=processing%20bravo&minLevel=20&limit=7&cursor=${c}`);
      got.push(...nums(n.items));
      c = n.nextCursor;
    }
    expect(got).toEqual(want);
    expect((await page('q=elsewhere')).items).toEqual([]);
  });

  it('treats FTS operators and quotes in the search text as plain words', async () => {
    for (const q of ['"', 'alpha OR', 'NEAR(alpha', 'message:alpha', '*', 'alpha"); DROP TABLE logs; --', '()', '^alpha']) {
      const r = await fetch(`${srv.url}/api/flow-runs/${FLOW}/logs?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
    expect((await page('limit=500')).items).toHaveLength(120);
  });

  it('lists a task run’s own lines', async () => {
    const p = await getJson<ListLogsResponse>(`${srv.url}/api/task-runs/${TASK}/logs?limit=500`);
    expect(nums(p.items)).toEqual(lines.filter((l) => l.task).map((l) => l.i));
    const s = await getJson<ListLogsResponse>(`${srv.url}/api/task-runs/${TASK}/logs?q=alpha`);
    expect(nums(s.items)).toEqual(lines.filter((l) => l.task && l.message.includes('alpha')).map((l) => l.i));
  });

  it('downloads as a text file', async () => {
    const r = await fetch(`${srv.url}/api/flow-runs/${FLOW}/logs?format=text&minLevel=40`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="flow-run-${FLOW}-logs.txt"`);
    const text = await r.text();
    const rows = text.trim().split('\n');
    expect(rows).toHaveLength(lines.filter((l) => l.level >= 40).length);
    expect(rows[0]).toMatch(/^2023-11-14T22:13:20\.030Z ERROR +line 3 delta processing record-3$/);
  });

  it('404s for an unknown run', async () => {
    expect((await fetch(`${srv.url}/api/flow-runs/nope/logs`)).status).toBe(404);
    expect((await fetch(`${srv.url}/api/task-runs/nope/logs`)).status).toBe(404);
  });
});
