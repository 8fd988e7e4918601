/** Runs over time as stacked bars per state type, in plain SVG. */
import { useState } from 'react';
import type { StatsResponse } from '@flowlight/schema';
import { STATE_TYPE_LABEL, STATE_TYPE_ORDER, STATE_TYPE_STYLE, TONE_CLASS } from '../lib/state-style';
import { formatTime } from '../lib/format';

// Bottom-up: settled outcomes at the base, in-flight on top.
const STACK = ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED', 'CANCELLING', 'PAUSED', 'RUNNING', 'PENDING', 'SCHEDULED'] as const;

export function RunsChart({ stats, height = 160 }: { stats: StatsResponse; height?: number }) {
  const [hover, setHover] = useState<number | null>(null);
  const totals = stats.buckets.map((b) => STACK.reduce((a, t) => a + (b.counts[t] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const n = Math.max(1, stats.buckets.length);
  const W = 1000;
  const gap = n > 60 ? 1 : 3;
  const bw = W / n - gap;
  const sum = totals.reduce((a, b) => a + b, 0);
  const hb = hover !== null ? stats.buckets[hover] : undefined;
  return (
    <div className="relative">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        preserveAspectRatio="none"
        className="block w-full"
        style={{ height }}
        role="img"
        aria-label={`Runs over time: ${sum} runs in ${n} intervals`}
        onMouseLeave={() => setHover(null)}
      >
        {[0.25, 0.5, 0.75, 1].map((f) => (
          <line key={f} x1={0} x2={W} y1={height - f * (height - 4)} y2={height - f * (height - 4)} className="stroke-line" strokeWidth={1} vectorEffect="non-scaling-stroke" />
        ))}
        {stats.buckets.map((b, i) => {
          let y = height;
          const x = i * (W / n) + gap / 2;
          return (
            <g key={b.start} onMouseEnter={() => setHover(i)} opacity={hover === null || hover === i ? 1 : 0.55}>
              <rect x={x} y={0} width={bw + gap} height={height} fill="transparent" />
              {STACK.map((t) => {
                const c = b.counts[t] ?? 0;
                if (!c) return null;
                const h = (c / max) * (height - 4);
                y -= h;
                return <rect key={t} x={x} y={y} width={Math.max(1, bw)} height={h} className={TONE_CLASS[STATE_TYPE_STYLE[t].tone].fill} />;
              })}
            </g>
          );
        })}
      </svg>
      <div className="mt-1 flex justify-between text-[11px] text-fg-subtle tabular">
        <span>{formatTime(stats.from)}</span>
        <span>{formatTime(stats.to)}</span>
      </div>
      {hb ? (
        <div className="pointer-events-none absolute top-0 right-0 rounded-md border border-line bg-panel px-2.5 py-1.5 text-xs shadow-lg">
          <div className="mb-1 font-medium text-fg tabular">
            {formatTime(hb.start)} – {formatTime(hb.start + stats.bucketMs)}
          </div>
          {STATE_TYPE_ORDER.filter((t) => hb.counts[t]).map((t) => (
            <div key={t} className="flex items-center gap-1.5 text-fg-muted">
              <span className={`size-2 rounded-sm ${TONE_CLASS[STATE_TYPE_STYLE[t].tone].bg}`} />
              {STATE_TYPE_LABEL[t]} <span className="ml-auto pl-3 text-fg tabular">{hb.counts[t]}</span>
            </div>
          ))}
          {!totals[hover ?? 0] ? <div className="text-fg-subtle">No runs</div> : null}
        </div>
      ) : null}
    </div>
  );
}
