/**
 * Logs of a flow run or a task run: level filter, full-text search with highlighting, live tail with
 * follow, timestamps, download. Virtualized, so 100,000 lines scroll at frame rate.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LogLevel, LOG_LEVEL_NAMES, logLevelNameOf, type LogLevelName, type LogLine } from '@flowlight/schema';
import { logDownloadUrl, logListOptions, type LogScope } from '../api/logs';
import { highlightParts } from '../lib/highlight';
import { formatClock, formatTimestamp } from '../lib/format';
import { Icon } from './Icon';
import { EmptyState, ErrorNote, Spinner } from './ui';

const LEVEL_CLASS = {
  debug: 'text-fg-subtle',
  info: 'text-st-running',
  warning: 'text-st-waiting',
  error: 'text-st-failed',
  critical: 'text-st-failed font-bold',
} as const satisfies Record<LogLevelName, string>;

const inputCls = 'h-7 rounded-md border border-line-strong bg-panel px-2 text-[13px] text-fg placeholder:text-fg-subtle';

const Highlighted = memo(function Highlighted({ text, q }: { text: string; q: string | undefined }) {
  const parts = highlightParts(text, q);
  return (
    <>
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} className="rounded-sm bg-mark px-px text-fg">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
});

const Line = memo(function Line({ line, q, showTime, taskName }: { line: LogLine; q: string | undefined; showTime: boolean; taskName: string | undefined }) {
  const level = logLevelNameOf(line.level);
  return (
    <div className="flex gap-3 px-3 py-px font-mono text-[12px] leading-[18px] hover:bg-hover" data-level={level} role="listitem">
      {showTime ? (
        <span className="shrink-0 text-fg-subtle tabular" title={formatTimestamp(line.timestamp)}>
          {formatClock(line.timestamp)}
        </span>
      ) : null}
      <span className={`w-14 shrink-0 uppercase ${LEVEL_CLASS[level]}`}>{level}</span>
      {taskName !== undefined ? (
        <span className="w-28 shrink-0 truncate text-fg-muted" title={taskName}>
          {taskName}
        </span>
      ) : null}
      <span className="min-w-0 flex-1 whitespace-pre-wrap break-words text-fg">
        <Highlighted text={line.message} q={q} />
      </span>
    </div>
  );
});

export function LogsView({ scope, live, taskNames, maxHeight = 480 }: { scope: LogScope; live: boolean; taskNames?: ReadonlyMap<string, string>; maxHeight?: number }) {
  const [minLevel, setMinLevel] = useState<number | undefined>(undefined);
  const [qDraft, setQDraft] = useState('');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [follow, setFollow] = useState(live);
  const [showTime, setShowTime] = useState(true);
  useEffect(() => {
    const t = setTimeout(() => setQ(qDraft.trim() || undefined), 250);
    return () => clearTimeout(t);
  }, [qDraft]);

  const params = useMemo(() => ({ minLevel, q }), [minLevel, q]);
  const query = useInfiniteQuery(logListOptions(scope, params));
  const lines = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 20,
    overscan: 20,
    getItemKey: (i) => lines[i]?.id ?? i,
  });
  const items = v.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && (follow || lastIndex >= lines.length - 50)) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, follow, lastIndex, lines.length]);

  // Follow: stay pinned to the newest line.
  useLayoutEffect(() => {
    if (follow && lines.length) v.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, lines.length, v]);
  // Scrolling up by hand stops following; the Follow button starts it again.
  const stopFollow = () => follow && setFollow(false);

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <select aria-label="Minimum log level" className={inputCls} value={minLevel ?? ''} onChange={(e) => setMinLevel(e.target.value ? Number(e.target.value) : undefined)}>
          <option value="">All levels</option>
          {LOG_LEVEL_NAMES.map((n) => (
            <option key={n} value={LogLevel[n]}>
              {n[0]?.toUpperCase()}
              {n.slice(1)} and above
            </option>
          ))}
        </select>
        <div className="relative">
          <Icon name="search" className="pointer-events-none absolute top-2 left-2 size-3.5 text-fg-subtle" />
          <input type="search" aria-label="Search logs" placeholder="Search logs" value={qDraft} onChange={(e) => setQDraft(e.target.value)} className={`${inputCls} w-64 pl-7`} />
        </div>
        <label className="flex items-center gap-1.5 text-[13px] text-fg-muted">
          <input type="checkbox" checked={showTime} onChange={(e) => setShowTime(e.target.checked)} className="accent-(--fl-accent)" />
          Timestamps
        </label>
        <div className="ml-auto flex items-center gap-2">
          <span className="text-xs text-fg-subtle tabular" aria-live="polite">
            {lines.length.toLocaleString('en')}
            {hasNextPage ? '+' : ''} line{lines.length === 1 ? '' : 's'}
          </span>
          <button
            type="button"
            aria-pressed={follow}
            onClick={() => setFollow((f) => !f)}
            className={`flex h-7 items-center gap-1.5 rounded-md border px-2.5 text-[13px] ${follow ? 'border-accent bg-accent/10 text-fg' : 'border-line-strong text-fg-muted hover:text-fg'}`}
          >
            <Icon name="arrowDown" className="size-3.5" />
            Follow
          </button>
          <a href={logDownloadUrl(scope, params)} download className="flex h-7 items-center gap-1.5 rounded-md border border-line-strong px-2.5 text-[13px] text-fg-muted hover:text-fg">
            <Icon name="download" className="size-3.5" />
            Download
          </a>
        </div>
      </div>
      <div ref={scrollRef} onWheel={(e) => e.deltaY < 0 && stopFollow()}
        onKeyDown={(e) => ['ArrowUp', 'PageUp', 'Home'].includes(e.key) && stopFollow()}
        tabIndex={0}
        // A short log gets a short box; a long or live one scrolls inside a fixed height.
        style={{ height: !lines.length ? undefined : !live && !hasNextPage ? Math.max(120, Math.min(maxHeight, v.getTotalSize() + 2)) : maxHeight }}
        className="overflow-auto rounded-md border border-line bg-canvas" role="list" aria-label="Log lines" aria-busy={query.isFetching}>
        {query.isPending ? (
          <Spinner label="Loading logs" />
        ) : query.isError ? (
          <ErrorNote error={query.error} title="Could not load logs" />
        ) : lines.length === 0 ? (
          <EmptyState title={q || minLevel !== undefined ? 'No log lines match' : 'No logs yet'} icon="list">
            {q || minLevel !== undefined ? 'Try another search or a lower level.' : live ? 'Lines appear here as the run logs them, with getRunLogger().info(…).' : 'This run wrote no log lines. Use getRunLogger() in a flow or task to log.'}
          </EmptyState>
        ) : (
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const line = lines[it.index];
              if (!line) return null;
              return (
                <div key={it.key} data-index={it.index} ref={v.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` }}>
                  <Line line={line} q={q} showTime={showTime} taskName={taskNames && line.taskRunId ? (taskNames.get(line.taskRunId) ?? '') : taskNames ? '' : undefined} />
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
