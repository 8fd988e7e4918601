/** Short messages after an action: what happened, or why the API said no. */
import { useSyncExternalStore } from 'react';
import { Icon } from './Icon';

interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  message: string;
}
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function notify(kind: Toast['kind'], message: string, ms = kind === 'error' ? 8000 : 4000) {
  const id = nextId++;
  toasts = [...toasts.slice(-4), { id, kind, message }];
  emit();
  setTimeout(() => dismiss(id), ms);
}
function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function Toaster() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts,
  );
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(380px,90vw)] flex-col gap-2">
      {list.map((t) => (
        <div
          key={t.id}
          role={t.kind === 'error' ? 'alert' : 'status'}
          className={`pointer-events-auto flex items-start gap-2 rounded-lg border bg-panel px-3 py-2.5 text-[13px] shadow-lg ${
            t.kind === 'error' ? 'border-danger/50' : 'border-line'
          }`}
        >
          <span className={t.kind === 'error' ? 'text-danger' : t.kind === 'success' ? 'text-st-completed' : 'text-fg-muted'}>
            <Icon name={t.kind === 'error' ? 'x' : t.kind === 'success' ? 'check' : 'dots'} />
          </span>
          <span className="flex-1 text-fg">{t.message}</span>
          <button type="button" aria-label="Dismiss" className="text-fg-subtle hover:text-fg" onClick={() => dismiss(t.id)}>
            <Icon name="close" className="size-3" />
          </button>
        </div>
      ))}
    </div>
  );
}
