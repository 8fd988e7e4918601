import { describe, expect, it } from 'vitest';
import type { FlowRunSummary } from '@flowlight/schema';
import { DEFAULT_FILTER, matchingTotal, matchRun, parseRunsFilter, queryString, runsFilterToParams, toListQuery, type RunsFilter } from './filters';

const parse = (qs: string) => parseRunsFilter(new URLSearchParams(qs));

describe('runs filter <-> URL', () => {
  it('gives the defaults for an empty URL', () => {
    expect(parse('')).toEqual(DEFAULT_FILTER);
    expect(runsFilterToParams(DEFAULT_FILTER).toString()).toBe('');
  });

  it('round-trips every field', () => {
    const filter: RunsFilter = {
      stateType: ['FAILED', 'CRASHED'],
      stateName: ['Retrying'],
      flow: ['etl', 'report'],
      tag: ['prod'],
      q: 'nightly',
      range: 'custom',
      from: 1_700_000_000_000,
      to: 1_700_100_000_000,
      sort: 'duration_desc',
    };
    const url = runsFilterToParams(filter).toString();
    expect(parse(url)).toEqual(filter);
    expect(url).toContain('stateType=FAILED%2CCRASHED');
  });

  it('reads repeated and comma-separated lists alike, without duplicates', () => {
    expect(parse('stateType=FAILED&stateType=CRASHED,FAILED').stateType).toEqual(['FAILED', 'CRASHED']);
  });

  it('falls back to defaults on garbage, field by field', () => {
    const f = parse('stateType=NOPE&sort=sideways&range=forever&from=yesterday&stateName=Weird&q=%20%20&tag=prod');
    expect(f).toEqual({ range: 'all', sort: 'start_desc', tag: ['prod'] });
  });

  it('keeps custom bounds only for the custom range', () => {
    expect(parse('range=24h&from=5&to=10')).toEqual({ range: '24h', sort: 'start_desc' });
    expect(parse('range=custom&from=5')).toEqual({ range: 'custom', from: 5, sort: 'start_desc' });
  });

  it('turns presets into absolute bounds at fetch time', () => {
    const now = 10 * 86_400_000;
    expect(toListQuery({ range: '24h', sort: 'start_desc' }, now)).toEqual({ sort: 'start_desc', startAfter: now - 86_400_000 });
    expect(queryString({ stateType: ['FAILED', 'CRASHED'], q: undefined, limit: 50 })).toBe('?stateType=FAILED%2CCRASHED&limit=50');
  });
});

const run = (over: Partial<FlowRunSummary> = {}): FlowRunSummary => ({
  id: 'r1',
  flowName: 'etl',
  name: 'brave-otter',
  tags: ['prod'],
  state: { type: 'RUNNING', name: 'Running', timestamp: 1000 },
  parentFlowRunId: null,
  deploymentId: null,
  startTime: 1000,
  endTime: null,
  durationMs: null,
  expectedStartTime: null,
  createdAt: 900,
  updatedAt: 1000,
  taskRunCount: 0,
  taskStateCounts: {},
  ...over,
});

describe('matchRun', () => {
  const f = (over: Partial<RunsFilter>): RunsFilter => ({ ...DEFAULT_FILTER, ...over });
  it('matches by state type and name, as the API does', () => {
    expect(matchRun(run(), f({ stateType: ['RUNNING'] }), 2000)).toBe('match');
    expect(matchRun(run(), f({ stateType: ['FAILED'] }), 2000)).toBe('no-match');
    expect(matchRun(run({ state: { type: 'RUNNING', name: 'Retrying', timestamp: 1 } }), f({ stateName: ['Retrying'] }), 2000)).toBe('match');
    expect(matchRun(run(), f({ stateType: ['RUNNING'], stateName: ['Retrying'] }), 2000)).toBe('no-match');
    expect(matchRun(run(), f({ stateType: ['FAILED'] }), 2000, { ignoreState: true })).toBe('match');
  });
  it('matches flow, tags and time range', () => {
    expect(matchRun(run(), f({ flow: ['other'] }), 2000)).toBe('no-match');
    expect(matchRun(run(), f({ tag: ['dev'] }), 2000)).toBe('no-match');
    expect(matchRun(run(), f({ tag: ['dev', 'prod'] }), 2000)).toBe('match');
    expect(matchRun(run({ startTime: 0 }), f({ range: '1h' }), 10_000_000)).toBe('no-match');
    expect(matchRun(run({ startTime: 9_000_000 }), f({ range: '1h' }), 10_000_000)).toBe('match');
  });
  it('leaves text search it cannot decide to the server', () => {
    expect(matchRun(run(), f({ q: 'OTTER' }), 2000)).toBe('match');
    expect(matchRun(run(), f({ q: 'param-value' }), 2000)).toBe('unknown');
    expect(matchRun(run(), f({ q: 'r1' }), 2000)).toBe('match');
  });
});

describe('matchingTotal', () => {
  const counts = { RUNNING: 2, COMPLETED: 5, FAILED: 1 };
  it('sums the chosen state types, or all of them', () => {
    expect(matchingTotal(counts, DEFAULT_FILTER)).toBe(8);
    expect(matchingTotal(counts, { ...DEFAULT_FILTER, stateType: ['FAILED', 'CRASHED'] })).toBe(1);
  });
  it('does not guess when state names narrow the list', () => {
    expect(matchingTotal(counts, { ...DEFAULT_FILTER, stateName: ['Retrying'] })).toBeUndefined();
    expect(matchingTotal(undefined, DEFAULT_FILTER)).toBeUndefined();
  });
});
