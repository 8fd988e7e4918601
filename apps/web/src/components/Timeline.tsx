/**
 * Gantt timeline of a flow run's task runs, drawn on a canvas: only visible lanes are painted, so
 * 10,000 task runs stay cheap. Bars take their state's color token; hover shows the task, click
 * selects it. Redraws every second while the run is live.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TaskRunSummary } from '@flowlight/schema';
import { layoutTimeline, hitTest, tickStep, type Bar } from '../lib/timeline';
import { stateStyle, toneVar, Tone } from '../lib/state-style';
import { formatDuration } from '../lib/format';
import { useNow } from '../lib/now';
import { useIsDark, usePalette } from '../lib/theme';
import { StateBadge } from './StateBadge';

const LANE_H = 18;
const BAR_H = 12;
const AXIS_H = 22;
const MAX_H = 300;

function readColors(): Record<Tone, string> & { fg: string; muted: string; line: string; panel: string } {
  const cs = getComputedStyle(document.documentElement);
  const get = (v: string) => cs.getPropertyValue(v).trim() || '#888';
  const tones = Object.fromEntries(Object.values(Tone).map((t) => [t, get(toneVar(t))])) as Record<Tone, string>;
  return { ...tones, fg: get('--fl-fg'), muted: get('--fl-fg-subtle'), line: get('--fl-line'), panel: get('--fl-panel') };
}

/** The token colors for a theme and palette; the arguments only key the memo. */
function readColorsFor(_dark: boolean, _palette: string) {
  return readColors();
}

function fmtOffset(ms: number): string {
  if (ms === 0) return '0s';
  return `+${formatDuration(ms)}`;
}

export function Timeline({
  tasks,
  runStart,
  runEnd,
  live,
  selectedId,
  onSelect,
}: {
  tasks: readonly TaskRunSummary[];
  runStart: number | null;
  runEnd: number | null;
  live: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const now = useNow(live);
  const dark = useIsDark();
  const palette = usePalette();
  const layout = useMemo(() => layoutTimeline(tasks, live ? now : (runEnd ?? now), runStart, runEnd), [tasks, now, live, runStart, runEnd]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<{ bar: Bar; x: number; y: number } | null>(null);
  // Re-read the color tokens when the theme or palette changes (they live in CSS variables).
  const colors = useMemo(() => readColorsFor(dark, palette), [dark, palette]);

  const contentH = AXIS_H + Math.max(1, layout.lanes.length) * LANE_H + 6;
  const viewH = Math.min(MAX_H, contentH);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(viewH * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, viewH);
    const { t0, t1, lanes } = layout;
    const pad = 8;
    const span = t1 - t0;
    const x = (t: number) => pad + ((t - t0) / span) * (width - pad * 2);

    // Grid and axis.
    const step = tickStep(span, width);
    ctx.font = '11px ui-sans-serif, system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let t = 0; t <= span; t += step) {
      const px = Math.round(x(t0 + t)) + 0.5;
      ctx.strokeStyle = colors.line;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, AXIS_H - 4);
      ctx.lineTo(px, viewH);
      ctx.stroke();
      ctx.fillStyle = colors.muted;
      const label = fmtOffset(t);
      const w = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(px + 3, width - w - 2), AXIS_H / 2);
    }

    // Visible lanes only.
    const first = Math.max(0, Math.floor(scrollTop / LANE_H));
    const last = Math.min(lanes.length - 1, Math.ceil((scrollTop + viewH - AXIS_H) / LANE_H));
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, AXIS_H, width, viewH - AXIS_H);
    ctx.clip();
    for (let li = first; li <= last; li++) {
      const lane = lanes[li];
      if (!lane) continue;
      const y = AXIS_H + li * LANE_H - scrollTop + (LANE_H - BAR_H) / 2;
      let lastPx = -1;
      for (const bar of lane) {
        const bx = x(bar.start);
        const bw = Math.max(2, x(bar.end) - bx);
        // Many bars in one pixel: draw once.
        if (bx + bw <= lastPx) continue;
        lastPx = bx + bw;
        const style = stateStyle(bar.task.state);
        ctx.fillStyle = colors[style.tone];
        ctx.globalAlpha = bar.running ? 0.85 : 1;
        ctx.beginPath();
        ctx.roundRect(bx, y, bw, BAR_H, 3);
        ctx.fill();
        ctx.globalAlpha = 1;
        if (bar.task.id === selectedId) {
          ctx.strokeStyle = colors.fg;
          ctx.lineWidth = 2;
          ctx.stroke();
        }
        if (bw > 60) {
          // Light bars (yellow, amber) and every bar in dark mode carry dark text.
          ctx.fillStyle = dark || style.tone === 'waiting' || style.tone === 'scheduled' ? '#0b0f14' : '#ffffff';
          ctx.font = '500 10.5px ui-sans-serif, system-ui, sans-serif';
          const label = bar.task.name;
          let text = label;
          const maxW = bw - 8;
          if (ctx.measureText(text).width > maxW) {
            while (text.length > 1 && ctx.measureText(`${text}…`).width > maxW) text = text.slice(0, -1);
            text = `${text}…`;
          }
          ctx.fillText(text, bx + 4, y + BAR_H / 2 + 0.5);
        }
      }
    }
    ctx.restore();
  }, [layout, width, viewH, scrollTop, colors, selectedId, dark]);

  const barAt = (clientX: number, clientY: number): Bar | null => {
    const canvas = canvasRef.current;
    if (!canvas) return null;
    const rect = canvas.getBoundingClientRect();
    const px = clientX - rect.left;
    const py = clientY - rect.top;
    if (py < AXIS_H) return null;
    const lane = Math.floor((py - AXIS_H + scrollTop) / LANE_H);
    const pad = 8;
    const t = layout.t0 + ((px - pad) / (width - pad * 2)) * (layout.t1 - layout.t0);
    const slack = (3 / (width - pad * 2)) * (layout.t1 - layout.t0);
    return hitTest(layout.lanes[lane], t, slack);
  };

  const started = layout.bars.length;
  const notStarted = tasks.length - started;
  return (
    <div ref={wrapRef} className="relative">
      <div className="overflow-y-auto" style={{ height: viewH }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: contentH, position: 'relative' }}>
          <canvas
            ref={canvasRef}
            role="img"
            aria-label={`Timeline of ${tasks.length} task run${tasks.length === 1 ? '' : 's'}${notStarted ? `, ${notStarted} not started` : ''}`}
            data-testid="task-timeline"
            style={{ width, height: viewH, position: 'sticky', top: 0, display: 'block', cursor: hover ? 'pointer' : 'default' }}
            onMouseMove={(e) => {
              const bar = barAt(e.clientX, e.clientY);
              const rect = e.currentTarget.getBoundingClientRect();
              setHover(bar ? { bar, x: e.clientX - rect.left, y: e.clientY - rect.top } : null);
            }}
            onMouseLeave={() => setHover(null)}
            onClick={(e) => {
              const bar = barAt(e.clientX, e.clientY);
              if (bar) onSelect(bar.task.id);
            }}
          />
        </div>
      </div>
      {hover ? (
        <div
          className="pointer-events-none absolute z-20 flex flex-col gap-1 rounded-md border border-line bg-panel px-2.5 py-2 text-xs shadow-lg"
          style={{ left: Math.min(hover.x + 12, width - 240), top: hover.y + 14, width: 228 }}
        >
          <div className="truncate font-semibold text-fg">{hover.bar.task.name}</div>
          <div className="flex items-center gap-2">
            <StateBadge state={hover.bar.task.state} size="sm" />
            <span className="tabular text-fg-muted">{formatDuration(hover.bar.end - hover.bar.start)}</span>
            {hover.bar.task.attempts > 1 ? <span className="text-fg-muted">{hover.bar.task.attempts} attempts</span> : null}
          </div>
        </div>
      ) : null}
      {started === 0 ? <p className="absolute inset-x-0 top-8 text-center text-xs text-fg-subtle">{tasks.length ? 'No task run has started yet.' : 'This run has no task runs.'}</p> : null}
    </div>
  );
}
