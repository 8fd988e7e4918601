import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FLOW_RUN_SORTS,
  STATE_TYPES,
  TYPE_OF_NAME,
  type FlowRunSort,
  type FlowSummary,
  type ListFlowRunsResponse,
  type StateName,
  type StateType,
  type StatsResponse,
} from '@flowlight/schema';
import { Events, getJson, postEvents, startTestServer, type TestServer } from './helpers.js';

interface Seeded {
  id: string;
  name: string;
  flow: string;
  tags: string[];
  stateName: StateName;
  stateType: StateType;
  startTime: number | null;
  endTime: number | null;
  scheduledTime: number | null;
  params: string;
}

const T0 = 1_750_000_000_000;
const FLOWS = ['etl', 'report', 'sync'];
const TAGS = ['a', 'b', 'c'];
const FINAL: StateName[] = ['Completed', 'Cached', 'Failed', 'TimedOut', 'Crashed', 'Cancelled', 'Running', 'Paused', 'Scheduled', 'Late'];

/** Deterministic pseudo-random numbers. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function seed(n: number): Seeded[] {
  const r = rng(7);
  return Array.from({ length: n }, (_, i) => {
    const stateName = FINAL[Math.floor(r() * FINAL.length)]!;
    const stateType = TYPE_OF_NAME[stateName];
    const scheduled = stateType === 'SCHEDULED';
    // Some start times collide on purpose so the id tie-breaker matters.
    const startTime = scheduled ? null : T0 + Math.floor(r() * 50) * 60_000;
    const terminal = ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'].includes(stateType);
    const endTime = terminal && startTime !== null ? startTime + Math.floor(r() * 20) * 1000 : null;
    return {
      id: `q-${String(i).padStart(4, '0')}`,
      name: `${['alpha', 'beta', 'gamma', 'delta'][Math.floor(r() * 4)]}-${Math.floor(r() * 30)}`,
      flow: FLOWS[Math.floor(r() * 3)]!,
      tags: TAGS.filter(() => r() < 0.4),
      stateName,
      stateType,
      startTime,
      endTime,
      scheduledTime: scheduled ? T0 + Math.floor(r() * 50) * 60_000 : null,
      params: `{"region":"${['eu', 'us', 'apac'][i % 3]}","batch":${i}}`,
    };
  });
}

function events(ev: Events, runs: Seeded[]): unknown[] {
  const out: unknown[] = [];
  for (const s of runs) {
    const info = {
      flowName: s.flow,
      name: s.name,
      tags: s.tags,
      parameters: { text: s.params, type: 'object', exact: true, truncated: false },
    };
    if (s.stateType === 'SCHEDULED') {
      out.push(
        ev.flow(s.id, 'SCHEDULED', { name: s.stateName, info, ts: T0 - 1, extra: {} }),
      );
      const last = out[out.length - 1] as { state: { data?: Record<string, unknown> } };
      last.state.data = { scheduledTime: s.scheduledTime };
      continue;
    }
    out.push(ev.flow(s.id, 'PENDING', { info, ts: s.startTime! - 1 }));
    out.push(ev.flow(s.id, 'RUNNING', { info, ts: s.startTime! }));
    if (s.stateType === 'PAUSED') out.push(ev.flow(s.id, 'PAUSED', { name: s.stateName, info, ts: s.startTime! + 5 }));
    else if (s.stateType !== 'RUNNING') out.push(ev.flow(s.id, s.stateType, { name: s.stateName, info, ts: s.endTime! }));
  }
  return out;
}

const key = {
  start: (s: Seeded) => s.startTime ?? s.scheduledTime!,
  end: (s: Seeded) => s.endTime ?? 0,
  duration: (s: Seeded) => (s.endTime !== null && s.startTime !== null ? s.endTime - s.startTime : -1),
  name: (s: Seeded) => s.name,
};

function expected(runs: Seeded[], sort: FlowRunSort, pred: (s: Seeded) => boolean): string[] {
  const [field, dir] = sort.split('_') as [keyof typeof key, 'asc' | 'desc'];
  const k = key[field];
  const cmp = (a: Seeded, b: Seeded) => {
    const x = k(a);
    const y = k(b);
    const c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return dir === 'asc' ? c : -c;
  };
  return runs.filter(pred).sort(cmp).map((s) => s.id);
}

let srv: TestServer;
const runs = seed(300);
beforeAll(async () => {
  srv = await startTestServer();
  const all = events(new Events(), runs);
  for (let i = 0; i < all.length; i += 500) {
    const r = await postEvents(srv.url, all.slice(i, i + 500));
    expect(r.rejected).toEqual([]);
  }
});
afterAll(() => srv.close());

async function walk(params: URLSearchParams, limit: number): Promise<{ ids: string[]; pages: ListFlowRunsResponse[] }> {
  const ids: string[] = [];
  const pages: ListFlowRunsResponse[] = [];
  let cursor: string | null = null;
  do {
    const p = new URLSearchParams(params);
    p.set('limit', String(limit));
    if (cursor) p.set('cursor', cursor);
    const page: ListFlowRunsResponse = await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?${p}`);
    pages.push(page);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 400);
  return { ids, pages };
}

const FILTERS: { name: string; params: Record<string, string | string[]>; pred: (s: Seeded) => boolean }[] = [
  { name: 'no filter', params: {}, pred: () => true },
  { name: 'two state types', params: { stateType: 'FAILED,CRASHED' }, pred: (s) => ['FAILED', 'CRASHED'].includes(s.stateType) },
  { name: 'state name Late', params: { stateName: 'Late' }, pred: (s) => s.stateName === 'Late' },
  { name: 'two flows as repeated params', params: { flow: ['etl', 'sync'] }, pred: (s) => s.flow !== 'report' },
  { name: 'any of two tags', params: { tag: 'a,c' }, pred: (s) => s.tags.includes('a') || s.tags.includes('c') },
  {
    name: 'start range',
    params: { startAfter: String(T0 + 10 * 60_000), startBefore: String(T0 + 30 * 60_000) },
    pred: (s) => key.start(s) >= T0 + 10 * 60_000 && key.start(s) < T0 + 30 * 60_000,
  },
  { name: 'text in name', params: { q: 'gamma-1' }, pred: (s) => s.name.includes('gamma-1') },
  { name: 'text in parameters', params: { q: '"region":"apac"' }, pred: (s) => s.params.includes('"region":"apac"') },
  {
    name: 'combined',
    params: { flow: 'etl', stateType: 'COMPLETED,FAILED', tag: 'b', q: 'a' },
    pred: (s) =>
      s.flow === 'etl' && ['COMPLETED', 'FAILED'].includes(s.stateType) && s.tags.includes('b') && (s.name.includes('a') || s.params.includes('a')),
  },
];

describe('GET /api/flow-runs', () => {
  it.each(FILTERS)('filter "$name" with every sort returns exactly the right rows in order', async ({ params, pred }) => {
    for (const sort of FLOW_RUN_SORTS) {
      const p = new URLSearchParams({ sort });
      for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) p.append(k, x);
      const { ids } = await walk(p, 23);
      expect(ids, `${sort}`).toEqual(expected(runs, sort, pred));
    }
  });

  it('counts per state type ignore the state filters but keep the others', async () => {
    const page = await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?flow=etl&stateType=FAILED&limit=5`);
    const want = Object.fromEntries(STATE_TYPES.map((t) => [t, runs.filter((s) => s.flow === 'etl' && s.stateType === t).length]));
    expect(page.counts).toEqual(want);
    expect(page.items.every((i) => i.state.type === 'FAILED' && i.flowName === 'etl')).toBe(true);
    const all = await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?stateName=Late`);
    expect(all.counts).toEqual(Object.fromEntries(STATE_TYPES.map((t) => [t, runs.filter((s) => s.stateType === t).length])));
  });

  it('summaries carry timing and state names', async () => {
    const s = runs.find((r) => r.stateName === 'TimedOut')!;
    const page = await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?q=${s.id}`);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: s.id,
      flowName: s.flow,
      state: { type: 'FAILED', name: 'TimedOut' },
      startTime: s.startTime,
      endTime: s.endTime,
      durationMs: s.endTime! - s.startTime!,
    });
  });

  it('rejects a forged cursor and bad filters with 400 naming the field', async () => {
    const bad = async (qs: string) => {
      const r = await fetch(`${srv.url}/api/flow-runs?${qs}`);
      expect(r.status, qs).toBe(400);
      return (await r.json()) as { error: string; issues: { path: string }[] };
    };
    expect((await bad('cursor=abc')).issues[0]!.path).toBe('cursor');
    const first = await getJson<ListFlowRunsResponse>(`${srv.url}/api/flow-runs?limit=2&sort=name_asc`);
    // A name cursor used with a numeric sort is refused.
    expect((await bad(`cursor=${first.nextCursor}&sort=start_desc`)).issues[0]!.path).toBe('cursor');
    expect((await bad('stateType=BOGUS')).issues[0]!.path).toMatch(/^stateType/);
    expect((await bad('sort=sideways')).issues[0]!.path).toBe('sort');
    expect((await bad('limit=100000')).issues[0]!.path).toBe('limit');
    expect((await bad('startAfter=yesterday')).issues[0]!.path).toBe('startAfter');
  });
});

describe('flows and stats', () => {
  it('GET /api/flows summarises each flow', async () => {
    const flows = await getJson<FlowSummary[]>(`${srv.url}/api/flows`);
    expect(flows.map((f) => f.name)).toEqual(FLOWS);
    for (const f of flows) {
      const mine = runs.filter((s) => s.flow === f.name);
      expect(f.runCount).toBe(mine.length);
      const terminal = mine.filter((s) => ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'].includes(s.stateType));
      const failed = terminal.filter((s) => ['FAILED', 'CRASHED'].includes(s.stateType));
      expect(f.failureRate).toBeCloseTo(failed.length / terminal.length);
      expect(f.lastRuns.length).toBe(Math.min(10, mine.length));
    }
  });

  it('GET /api/stats buckets runs by start time and state type', async () => {
    const from = T0;
    const to = T0 + 50 * 60_000;
    const stats = await getJson<StatsResponse>(`${srv.url}/api/stats?from=${from}&to=${to}&buckets=5`);
    expect(stats.buckets).toHaveLength(5);
    expect(stats.bucketMs).toBe(10 * 60_000);
    for (const t of STATE_TYPES) {
      expect(stats.totals[t]).toBe(runs.filter((s) => s.stateType === t && key.start(s) >= from && key.start(s) < to).length);
    }
    const b2 = runs.filter((s) => key.start(s) >= from + 20 * 60_000 && key.start(s) < from + 30 * 60_000);
    expect(Object.values(stats.buckets[2]!.counts).reduce((a, b) => a + b, 0)).toBe(b2.length);
  });
});
