/** Every state a run went through, with time, time spent in it, and message. */
import type { StateData } from '@flowlight/schema';
import { StateBadge } from '../../components/StateBadge';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { EmptyState } from '../../components/ui';

export function StateHistory({ states }: { states: readonly StateData[] }) {
  if (!states.length) return <EmptyState title="No states recorded" />;
  return (
    <table className="w-full text-[13px]" aria-label="State history">
      <thead>
        <tr className="border-b border-line text-left text-[11px] font-semibold tracking-wide whitespace-nowrap text-fg-subtle uppercase">
          <th className="py-1.5 pr-3 font-semibold">State</th>
          <th className="py-1.5 pr-3 font-semibold">Time</th>
          <th className="py-1.5 pr-3 text-right font-semibold">In state</th>
          <th className="py-1.5 font-semibold">Message</th>
        </tr>
      </thead>
      <tbody>
        {states.map((s, i) => {
          const next = states[i + 1];
          return (
            <tr key={`${s.timestamp}-${i}`} className="border-b border-line align-top last:border-0">
              <td className="py-1.5 pr-3">
                <StateBadge state={s} size="sm" />
              </td>
              <td className="py-1.5 pr-3 font-mono text-[12px] whitespace-nowrap text-fg-muted tabular">{formatTimestamp(s.timestamp)}</td>
              <td className="py-1.5 pr-3 text-right whitespace-nowrap text-fg-muted tabular">{next ? formatDuration(next.timestamp - s.timestamp) : ''}</td>
              <td className="py-1.5 break-words whitespace-pre-wrap text-fg">{s.message ?? <span className="text-fg-subtle">—</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
