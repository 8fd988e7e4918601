/** Proportional bar of task-run states for one flow run. */
import type { StateType } from '@flowlight/schema';
import { STATE_TYPE_ORDER, STATE_TYPE_LABEL, STATE_TYPE_STYLE, TONE_CLASS } from '../lib/state-style';

export function StateStrip({ counts, total, className = 'w-28' }: { counts: Partial<Record<StateType, number>>; total?: number; className?: string }) {
  const entries = STATE_TYPE_ORDER.map((t) => [t, counts[t] ?? 0] as const).filter(([, n]) => n > 0);
  const sum = total ?? entries.reduce((a, [, n]) => a + n, 0);
  const label = entries.map(([t, n]) => `${n} ${STATE_TYPE_LABEL[t].toLowerCase()}`).join(', ') || 'no task runs';
  return (
    <div className={`flex h-1.5 overflow-hidden rounded-full bg-subtle ${className}`} role="img" aria-label={`Task runs: ${label}`} title={label}>
      {sum > 0 &&
        entries.map(([t, n]) => (
          <span key={t} className={TONE_CLASS[STATE_TYPE_STYLE[t].tone].bg} style={{ width: `${(n / sum) * 100}%` }} />
        ))}
    </div>
  );
}
