/** Accessible tabs (role=tablist/tab/tabpanel, arrow keys move between tabs). */
import { useRef, type ReactNode } from 'react';

export interface TabDef<T extends string> {
  id: T;
  label: ReactNode;
  count?: number | undefined;
  tone?: 'danger' | undefined;
}

export function Tabs<T extends string>({ tabs, value, onChange, label, idPrefix }: { tabs: readonly TabDef<T>[]; value: T; onChange: (id: T) => void; label: string; idPrefix: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <div role="tablist" aria-label={label} className="flex gap-0.5 border-b border-line px-2">
      {tabs.map((t, i) => {
        const on = t.id === value;
        return (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${t.id}`}
            aria-selected={on}
            aria-controls={`${idPrefix}-panel-${t.id}`}
            tabIndex={on ? 0 : -1}
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => {
              const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!d) return;
              const next = tabs[(i + d + tabs.length) % tabs.length];
              if (next) {
                onChange(next.id);
                refs.current[(i + d + tabs.length) % tabs.length]?.focus();
              }
            }}
            className={`-mb-px flex h-9 items-center gap-1.5 border-b-2 px-3 text-[13px] font-medium ${on ? 'border-accent text-fg' : 'border-transparent text-fg-muted hover:text-fg'}`}
          >
            {t.label}
            {t.count !== undefined ? (
              // The count is shown, not part of the tab's name: "Task runs" stays "Task runs".
              <span aria-hidden className={`rounded px-1 text-[11px] tabular ${t.tone === 'danger' ? 'bg-st-failed/15 text-st-failed' : 'bg-subtle text-fg-subtle'}`}>{t.count.toLocaleString('en')}</span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel<T extends string>({ id, idPrefix, children, className = '' }: { id: T; idPrefix: string; children: ReactNode; className?: string }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${id}`} aria-labelledby={`${idPrefix}-tab-${id}`} className={className}>
      {children}
    </div>
  );
}
