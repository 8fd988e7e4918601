/**
 * The Runs page's filter lives in the URL so a view can be bookmarked and shared. It is parsed with
 * the API's own query schema (shapes once), each field defaulted with `.catch()` so a garbage URL
 * gives a usable page instead of an error. Date ranges are presets resolved at fetch time, so the
 * query key stays stable while "last 24 hours" slides.
 */
import {
  listFlowRunsQuerySchema,
  TYPE_OF_NAME,
  type FlowRunSort,
  type FlowRunSummary,
  type ListFlowRunsQuery,
  type StateName,
  type StateType,
} from '@flowlight/schema';

export const RANGE_PRESETS = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
  all: { label: 'All time', ms: null },
  custom: { label: 'Custom', ms: null },
} as const satisfies Record<string, { label: string; ms: number | null }>;
export type RangePreset = keyof typeof RANGE_PRESETS;
const isRangePreset = (v: string): v is RangePreset => Object.hasOwn(RANGE_PRESETS, v);

export const SORT_LABEL = {
  start_desc: 'Newest first',
  start_asc: 'Oldest first',
  end_desc: 'Recently ended',
  end_asc: 'Ended earliest',
  duration_desc: 'Longest',
  duration_asc: 'Shortest',
  name_asc: 'Name A→Z',
  name_desc: 'Name Z→A',
} as const satisfies Record<FlowRunSort, string>;

const q = listFlowRunsQuerySchema.shape;
// zod is reached through the shared schema (the web package does not depend on zod directly).
const text = q.q.unwrap();

export const runsFilterSchema = listFlowRunsQuerySchema.pick({}).extend({
  stateType: q.stateType.catch(undefined),
  stateName: q.stateName.catch(undefined),
  flow: q.flow.catch(undefined),
  tag: q.tag.catch(undefined),
  q: text
    .transform((s) => s.trim() || undefined)
    .optional()
    .catch(undefined),
  range: text
    .refine(isRangePreset)
    .transform((s) => s as RangePreset)
    .default('all')
    .catch('all'),
  from: q.startAfter.catch(undefined),
  to: q.startBefore.catch(undefined),
  sort: q.sort.catch('start_desc'),
});

export interface RunsFilter {
  stateType?: StateType[] | undefined;
  stateName?: StateName[] | undefined;
  flow?: string[] | undefined;
  tag?: string[] | undefined;
  q?: string | undefined;
  range: RangePreset;
  /** Epoch ms; only with range `custom`. */
  from?: number | undefined;
  to?: number | undefined;
  sort: FlowRunSort;
}

export const DEFAULT_FILTER: RunsFilter = { range: 'all', sort: 'start_desc' };

const LIST_KEYS = ['stateType', 'stateName', 'flow', 'tag'] as const;

/** URL → filter. Never throws; unknown or invalid values fall back to defaults. */
export function parseRunsFilter(params: URLSearchParams): RunsFilter {
  const raw: Record<string, unknown> = {};
  for (const key of LIST_KEYS) {
    const all = params.getAll(key);
    if (all.length) raw[key] = all;
  }
  for (const key of ['q', 'range', 'from', 'to', 'sort'] as const) {
    const v = params.get(key);
    if (v !== null) raw[key] = v;
  }
  const parsed = runsFilterSchema.parse(raw);
  const out: RunsFilter = { range: parsed.range, sort: parsed.sort };
  for (const key of LIST_KEYS) {
    const v = parsed[key];
    if (v?.length) (out as unknown as Record<string, unknown>)[key] = [...new Set(v)];
  }
  if (parsed.q) out.q = parsed.q;
  if (out.range === 'custom') {
    if (parsed.from !== undefined) out.from = parsed.from;
    if (parsed.to !== undefined) out.to = parsed.to;
  }
  return out;
}

/** Filter → URL, leaving defaults out so shared links stay short. */
export function runsFilterToParams(filter: RunsFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const v = filter[key];
    if (v?.length) p.set(key, v.join(','));
  }
  if (filter.q) p.set('q', filter.q);
  if (filter.range !== 'all') p.set('range', filter.range);
  if (filter.range === 'custom') {
    if (filter.from !== undefined) p.set('from', String(filter.from));
    if (filter.to !== undefined) p.set('to', String(filter.to));
  }
  if (filter.sort !== 'start_desc') p.set('sort', filter.sort);
  return p;
}

/** The API query for a filter at time `now` (presets become absolute bounds). */
export function toListQuery(filter: RunsFilter, now: number): Partial<ListFlowRunsQuery> {
  const out: Partial<ListFlowRunsQuery> = { sort: filter.sort };
  if (filter.stateType?.length) out.stateType = filter.stateType;
  if (filter.stateName?.length) out.stateName = filter.stateName;
  if (filter.flow?.length) out.flow = filter.flow;
  if (filter.tag?.length) out.tag = filter.tag;
  if (filter.q) out.q = filter.q;
  const preset = RANGE_PRESETS[filter.range];
  if (preset.ms !== null) out.startAfter = now - preset.ms;
  if (filter.range === 'custom') {
    if (filter.from !== undefined) out.startAfter = filter.from;
    if (filter.to !== undefined) out.startBefore = filter.to;
  }
  return out;
}

/** Serialises an API list query: arrays comma-separated, undefined left out. */
export function queryString(query: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export type MatchResult = 'match' | 'no-match' | 'unknown';

/**
 * Whether a run belongs in a list with this filter, judged in the browser. `unknown` when only the
 * server can tell (text search also looks at parameters), so the caller marks the list stale.
 */
export function matchRun(run: FlowRunSummary, filter: RunsFilter, now: number, opts: { ignoreState?: boolean } = {}): MatchResult {
  // The API ANDs the fields and ORs the values within one field (any of the tags, any of the flows).
  if (!opts.ignoreState) {
    if (filter.stateType?.length && !filter.stateType.includes(run.state.type)) return 'no-match';
    if (filter.stateName?.length && !filter.stateName.includes(run.state.name)) return 'no-match';
  }
  if (filter.flow?.length && !filter.flow.includes(run.flowName)) return 'no-match';
  if (filter.tag?.length && !filter.tag.some((t) => run.tags.includes(t))) return 'no-match';
  const q = toListQuery(filter, now);
  if (q.startAfter !== undefined || q.startBefore !== undefined) {
    const t = run.startTime ?? run.expectedStartTime ?? run.createdAt;
    if (q.startAfter !== undefined && t < q.startAfter) return 'no-match';
    if (q.startBefore !== undefined && t >= q.startBefore) return 'no-match';
  }
  if (filter.q) {
    // The API matches the id, the run name or the parameters; only the first two are known here.
    const needle = filter.q.toLowerCase();
    if (run.id === filter.q || run.name.toLowerCase().includes(needle)) return 'match';
    return 'unknown';
  }
  return 'match';
}

/** State names grouped by their type, for the multi-select. */
export const NAMES_BY_TYPE = Object.entries(TYPE_OF_NAME).reduce<Partial<Record<StateType, StateName[]>>>((acc, [name, type]) => {
  (acc[type] ??= []).push(name as StateName);
  return acc;
}, {});

/**
 * How many runs the filter matches, from the per-state counts (which ignore the state filters).
 * Unknown (undefined) when state names are filtered, since counts are per type only.
 */
export function matchingTotal(counts: Partial<Record<StateType, number>> | undefined, filter: RunsFilter): number | undefined {
  if (!counts || filter.stateName?.length) return undefined;
  const types = filter.stateType?.length ? filter.stateType : (Object.keys(counts) as StateType[]);
  return types.reduce((sum, t) => sum + (counts[t] ?? 0), 0);
}
