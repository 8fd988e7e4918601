/** A compact dropdown of checkboxes (state names, flows). Closes on outside click and Escape. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Icon } from './Icon';

export interface Option<T extends string> {
  value: T;
  label: ReactNode;
  group?: string;
}

export function MultiSelect<T extends string>({
  label,
  options,
  selected,
  onChange,
  emptyText = 'Nothing to choose yet',
  onOpen,
}: {
  label: string;
  options: readonly Option<T>[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
  emptyText?: string;
  /** Called when the list opens (e.g. to load its options on demand). */
  onOpen?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  // The choice shows at once; the owner (e.g. the URL) catches up a moment later.
  const [shown, setShown] = useState<readonly T[]>(selected);
  const selectedKey = selected.join('\u0000');
  const [seenKey, setSeenKey] = useState(selectedKey);
  if (seenKey !== selectedKey) {
    // The owner changed the selection (back button, Clear filters): follow it.
    setSeenKey(selectedKey);
    setShown(selected);
  }
  const change = (next: T[]) => {
    setShown(next);
    onChange(next);
  };
  const toggle = (v: T) => change(shown.includes(v) ? shown.filter((x) => x !== v) : [...shown, v]);
  let lastGroup: string | undefined;
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen((o) => !o);
        }}
        className={`flex h-7 items-center gap-1.5 rounded-md border px-2.5 text-[13px] ${shown.length ? 'border-accent/60 bg-accent/8 text-fg' : 'border-line-strong bg-panel text-fg-muted hover:text-fg'}`}
      >
        {label}
        {shown.length ? <span className="rounded bg-accent px-1 text-[11px] font-semibold text-accent-fg">{shown.length}</span> : null}
        <Icon name="chevronDown" className="size-3" />
      </button>
      {open ? (
        <div role="group" aria-label={label} className="absolute left-0 z-30 mt-1 max-h-80 min-w-52 overflow-auto rounded-lg border border-line bg-panel p-1 shadow-xl">
          {options.length === 0 ? <p className="px-2 py-2 text-xs text-fg-muted">{emptyText}</p> : null}
          {options.map((o) => {
            const header = o.group && o.group !== lastGroup ? o.group : null;
            lastGroup = o.group;
            return (
              <div key={o.value}>
                {header ? <div className="px-2 pt-2 pb-1 text-[10px] font-semibold tracking-wider text-fg-subtle uppercase">{header}</div> : null}
                <label className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-[13px] hover:bg-hover">
                  <input type="checkbox" className="accent-(--fl-accent)" checked={shown.includes(o.value)} onChange={() => toggle(o.value)} />
                  {o.label}
                </label>
              </div>
            );
          })}
          {shown.length ? (
            <button type="button" className="mt-1 w-full rounded px-2 py-1 text-left text-xs text-fg-muted hover:bg-hover" onClick={() => change([])}>
              Clear
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
