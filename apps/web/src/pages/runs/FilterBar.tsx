/** Filters of the run history: state chips with live counts, names, flows, tags, time, search, sort. */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { FLOW_RUN_SORTS, type FlowRunSort, type StateName, type StateType } from '@flowlight/schema';
import { flowListOptions } from '../../api/flows';
import { NAMES_BY_TYPE, RANGE_PRESETS, SORT_LABEL, type RangePreset, type RunsFilter } from '../../lib/filters';
import { STATE_NAME_LABEL, STATE_TYPE_LABEL, STATE_TYPE_ORDER, stateStyle } from '../../lib/state-style';
import { formatCount } from '../../lib/format';
import { Icon } from '../../components/Icon';
import { MultiSelect } from '../../components/MultiSelect';

const inputCls = 'h-7 rounded-md border border-line-strong bg-panel px-2 text-[13px] text-fg placeholder:text-fg-subtle';

function toLocalInput(ts: number | undefined): string {
  if (ts === undefined) return '';
  const d = new Date(ts - new Date(ts).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function StateChips({ filter, counts, onChange }: { filter: RunsFilter; counts: Partial<Record<StateType, number>> | undefined; onChange: (types: StateType[]) => void }) {
  const selected = filter.stateType ?? [];
  const total = counts ? Object.values(counts).reduce((a, b) => a + (b ?? 0), 0) : undefined;
  return (
    <div role="group" aria-label="Filter by state" className="flex flex-wrap items-center gap-1.5">
      <button
        type="button"
        aria-pressed={selected.length === 0}
        onClick={() => onChange([])}
        className={`flex h-7 items-center gap-1.5 rounded-full border px-3 text-[13px] font-medium ${selected.length === 0 ? 'border-fg/70 bg-fg text-canvas' : 'border-line-strong bg-panel text-fg-muted hover:text-fg'}`}
      >
        All
        {total !== undefined ? <span className="tabular text-xs opacity-70">{formatCount(total)}</span> : null}
      </button>
      {STATE_TYPE_ORDER.map((t) => {
        const s = stateStyle({ type: t });
        const on = selected.includes(t);
        const n = counts?.[t];
        return (
          <button
            key={t}
            type="button"
            aria-pressed={on}
            data-state-type={t}
            onClick={() => onChange(on ? selected.filter((x) => x !== t) : [...selected, t])}
            className={`flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-[13px] font-medium transition-colors ${
              on ? `${s.classes.soft} ${s.classes.ring} text-fg` : 'border-line bg-panel text-fg-muted hover:text-fg'
            } ${n === 0 && !on ? 'opacity-55' : ''}`}
          >
            <span className={s.classes.text}>
              <Icon name={s.icon} className="size-3" />
            </span>
            {STATE_TYPE_LABEL[t]}
            <span className="tabular text-xs text-fg-subtle">{n === undefined ? '' : formatCount(n)}</span>
          </button>
        );
      })}
    </div>
  );
}

export function FilterBar({ filter, onChange }: { filter: RunsFilter; onChange: (patch: Partial<RunsFilter>, opts?: { replace?: boolean }) => void }) {
  // Flow names are loaded when the Flow list is first opened, not with every Runs page.
  const [flowsWanted, setFlowsWanted] = useState(false);
  const flows = useQuery({ ...flowListOptions(), staleTime: 30_000, enabled: flowsWanted });
  const [q, setQ] = useState(filter.q ?? '');
  const [tagDraft, setTagDraft] = useState('');
  // Follow the URL when it changes from outside (back button, a link).
  useEffect(() => {
    setQ((cur) => ((filter.q ?? '') === cur.trim() ? cur : (filter.q ?? '')));
  }, [filter.q]);
  useEffect(() => {
    if ((filter.q ?? '') === q.trim()) return undefined;
    const t = setTimeout(() => onChange({ q: q.trim() || undefined }, { replace: true }), 250);
    return () => clearTimeout(t);
  }, [q, filter.q, onChange]);

  const nameOptions = STATE_TYPE_ORDER.flatMap((t) =>
    (NAMES_BY_TYPE[t] ?? []).map((n) => ({
      value: n,
      group: STATE_TYPE_LABEL[t],
      label: (
        <span className="flex items-center gap-1.5">
          <span className={stateStyle({ type: t, name: n }).classes.text}>
            <Icon name={stateStyle({ type: t, name: n }).icon} className="size-3" />
          </span>
          {STATE_NAME_LABEL[n]}
        </span>
      ),
    })),
  );
  const flowOptions = (flows.data ?? []).map((f) => ({ value: f.name, label: f.name }));
  for (const f of filter.flow ?? []) if (!flowOptions.some((o) => o.value === f)) flowOptions.push({ value: f, label: f });

  const addTag = () => {
    const t = tagDraft.trim();
    if (t && !(filter.tag ?? []).includes(t)) onChange({ tag: [...(filter.tag ?? []), t] });
    setTagDraft('');
  };

  const hasAny = Boolean(filter.stateType?.length || filter.stateName?.length || filter.flow?.length || filter.tag?.length || filter.q || filter.range !== 'all');

  return (
    <div className="flex flex-wrap items-center gap-2">
      <div className="relative">
        <Icon name="search" className="pointer-events-none absolute top-2 left-2 size-3.5 text-fg-subtle" />
        <input
          type="search"
          aria-label="Search runs"
          placeholder="Search runs, parameters…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          className={`${inputCls} w-60 pl-7`}
        />
      </div>
      <MultiSelect<StateName> label="State name" options={nameOptions} selected={filter.stateName ?? []} onChange={(v) => onChange({ stateName: v.length ? v : undefined })} />
      <MultiSelect<string> label="Flow" options={flowOptions} selected={filter.flow ?? []} onChange={(v) => onChange({ flow: v.length ? v : undefined })}
        onOpen={() => setFlowsWanted(true)}
        emptyText={flows.isFetching ? 'Loading flows…' : 'No flows have run yet'}
      />
      <div className="flex items-center gap-1">
        {(filter.tag ?? []).map((t) => (
          <button
            key={t}
            type="button"
            aria-label={`Remove tag ${t}`}
            onClick={() => onChange({ tag: (filter.tag ?? []).filter((x) => x !== t) })}
            className="flex h-6 items-center gap-1 rounded-md border border-accent/50 bg-accent/8 px-1.5 text-xs text-fg"
          >
            #{t}
            <Icon name="close" className="size-2.5" />
          </button>
        ))}
        <input
          aria-label="Filter by tag"
          placeholder="+ tag"
          value={tagDraft}
          onChange={(e) => setTagDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && addTag()}
          onBlur={addTag}
          className={`${inputCls} w-20`}
        />
      </div>
      <select aria-label="Time range" value={filter.range} onChange={(e) => onChange({ range: e.target.value as RangePreset, from: undefined, to: undefined })} className={inputCls}>
        {(Object.keys(RANGE_PRESETS) as RangePreset[]).map((r) => (
          <option key={r} value={r}>
            {RANGE_PRESETS[r].label}
          </option>
        ))}
      </select>
      {filter.range === 'custom' ? (
        <>
          <input
            type="datetime-local"
            aria-label="Started after"
            value={toLocalInput(filter.from)}
            onChange={(e) => onChange({ from: e.target.value ? new Date(e.target.value).getTime() : undefined })}
            className={inputCls}
          />
          <span className="text-fg-subtle">→</span>
          <input
            type="datetime-local"
            aria-label="Started before"
            value={toLocalInput(filter.to)}
            onChange={(e) => onChange({ to: e.target.value ? new Date(e.target.value).getTime() : undefined })}
            className={inputCls}
          />
        </>
      ) : null}
      <select aria-label="Sort" value={filter.sort} onChange={(e) => onChange({ sort: e.target.value as FlowRunSort })} className={inputCls}>
        {FLOW_RUN_SORTS.map((s) => (
          <option key={s} value={s}>
            {SORT_LABEL[s]}
          </option>
        ))}
      </select>
      {hasAny ? (
        <button
          type="button"
          className="h-7 rounded-md px-2 text-[13px] text-fg-muted hover:bg-hover hover:text-fg"
          onClick={() => onChange({ stateType: undefined, stateName: undefined, flow: undefined, tag: undefined, q: undefined, range: 'all', from: undefined, to: undefined })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
