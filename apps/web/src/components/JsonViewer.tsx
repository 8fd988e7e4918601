/** A collapsible JSON tree for parameters and results; plain text when the preview is not JSON. */
import { useState } from 'react';
import type { ValuePreview } from '@flowlight/schema';
import { parsePreview } from '../lib/json';
import { Icon } from './Icon';
import { Button, EmptyState } from './ui';
import { notify } from './Toaster';

const CHILD_LIMIT = 200;

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="text-fg-subtle">null</span>;
  if (typeof value === 'string') return <span className="break-all text-st-completed">"{value}"</span>;
  if (typeof value === 'number') return <span className="text-st-running">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="text-st-crashed">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth, defaultDepth }: { name: string | null; value: unknown; depth: number; defaultDepth: number }) {
  const isObj = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(depth < defaultDepth);
  const [limit, setLimit] = useState(CHILD_LIMIT);
  const label = name !== null ? <span className="text-fg-muted">{name}: </span> : null;
  if (!isObj) {
    return (
      <div className="py-px pl-4">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length} item${entries.length === 1 ? '' : 's'}]` : `{${entries.length} key${entries.length === 1 ? '' : 's'}}`;
  return (
    <div>
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} className="flex items-center gap-0.5 rounded py-px text-left hover:bg-hover">
        <Icon name={open ? 'chevronDown' : 'chevronRight'} className="size-3 text-fg-subtle" />
        {label}
        <span className="text-fg-subtle">{summary}</span>
      </button>
      {open ? (
        <div className="ml-1.5 border-l border-line pl-2">
          {entries.slice(0, limit).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} defaultDepth={defaultDepth} />
          ))}
          {entries.length > limit ? (
            <button type="button" className="py-1 pl-4 text-xs text-accent" onClick={() => setLimit((l) => l + CHILD_LIMIT)}>
              Show {Math.min(CHILD_LIMIT, entries.length - limit)} more of {entries.length - limit}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function JsonViewer({ preview, emptyTitle, emptyText, label }: { preview: ValuePreview | null | undefined; emptyTitle: string; emptyText: string; label: string }) {
  if (!preview) return <EmptyState title={emptyTitle}>{emptyText}</EmptyState>;
  const parsed = parsePreview(preview);
  return (
    <div className="flex flex-col gap-2" aria-label={label} role="region">
      <div className="flex items-center gap-2 text-xs text-fg-muted">
        <span className="rounded bg-subtle px-1.5 py-px font-mono">{preview.type}</span>
        {!preview.exact ? <span title="The value was not plain JSON; this is a readable rendering of it.">preview</span> : null}
        {preview.truncated ? <span className="text-st-waiting">truncated — the value was larger than the stored preview</span> : null}
        <Button
          size="sm"
          variant="ghost"
          icon="copy"
          className="ml-auto"
          onClick={() => void navigator.clipboard?.writeText(preview.text).then(() => notify('success', `${label} copied`))}
        >
          Copy
        </Button>
      </div>
      <div className="overflow-auto rounded-md border border-line bg-canvas p-2 font-mono text-[12px] leading-5">
        {parsed.kind === 'json' ? <Node name={null} value={parsed.value} depth={0} defaultDepth={2} /> : <pre className="whitespace-pre-wrap break-all">{parsed.text}</pre>}
      </div>
    </div>
  );
}
