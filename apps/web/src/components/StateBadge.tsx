/** A state as people read it: icon + name on a tint of its color. Color is never the only signal. */
import type { StateName, StateType } from '@flowlight/schema';
import { Link } from 'react-router';
import { STATE_NAME_LABEL, stateStyle } from '../lib/state-style';
import { Icon } from './Icon';

export function StateBadge({
  state,
  size = 'md',
  title,
}: {
  state: { type: StateType; name: StateName; message?: string | undefined };
  size?: 'sm' | 'md';
  title?: string;
}) {
  const s = stateStyle(state);
  const pad = size === 'sm' ? 'h-5 px-1.5 gap-1 text-[11px]' : 'h-6 px-2 gap-1.5 text-xs';
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded-md border font-medium text-fg ${pad} ${s.classes.soft} ${s.classes.ring}`}
      data-state-type={state.type}
      data-state-name={state.name}
      data-testid="state-badge"
      title={title ?? state.message ?? s.label}
    >
      <span className={s.classes.text}>
        <Icon name={s.icon} className={size === 'sm' ? 'size-3' : 'size-3.5'} spin={s.icon === 'retry' && state.type === 'RUNNING'} />
      </span>
      {s.label}
    </span>
  );
}

/** A small square mark of a state (for strips of recent runs), labelled for screen readers. */
export function StateDot({ state, label, className = 'size-2.5' }: { state: { type: StateType; name: StateName }; label?: string; className?: string }) {
  const s = stateStyle(state);
  return (
    <span
      className={`inline-block rounded-[3px] ${s.classes.bg} ${className}`}
      data-state-type={state.type}
      data-state-name={state.name}
      role="img"
      aria-label={label ?? s.label}
      title={label ?? s.label}
    />
  );
}

/** A flow's or deployment's last runs as colored marks, oldest first, each a link to its run. */
export function RunMarks({
  runs,
  of,
  dashWhenNone = false,
}: {
  /** Newest first, as the API lists them. */
  runs: readonly { id: string; name: string; state: { type: StateType; name: StateName } }[];
  /** Whose runs they are, for the list's label. */
  of: string;
  dashWhenNone?: boolean;
}) {
  return (
    <div className="flex items-center gap-[3px]" role="list" aria-label={`Last ${runs.length} runs of ${of}`}>
      {dashWhenNone && runs.length === 0 ? <span className="text-fg-subtle">—</span> : null}
      {runs
        .slice()
        .reverse()
        .map((r) => (
          <Link key={r.id} to={`/runs/${encodeURIComponent(r.id)}`} role="listitem" className="flex">
            <StateDot state={r.state} className="h-5 w-2.5" label={`${r.name}: ${STATE_NAME_LABEL[r.state.name]}`} />
          </Link>
        ))}
    </div>
  );
}
