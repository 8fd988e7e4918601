/** Small shared building blocks: buttons, panels, empty states, spinners. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

type Variant = 'default' | 'primary' | 'danger' | 'ghost';
const VARIANT = {
  default: 'border-line-strong bg-panel text-fg hover:bg-hover',
  primary: 'border-transparent bg-accent text-accent-fg hover:opacity-90',
  danger: 'border-danger/50 bg-panel text-danger hover:bg-danger/10',
  ghost: 'border-transparent bg-transparent text-fg-muted hover:bg-hover hover:text-fg',
} as const satisfies Record<Variant, string>;

export function Button({
  variant = 'default',
  icon,
  size = 'md',
  className = '',
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; icon?: IconName; size?: 'sm' | 'md' }) {
  const sz = size === 'sm' ? 'h-6 px-2 text-xs gap-1' : 'h-7 px-2.5 text-[13px] gap-1.5';
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center whitespace-nowrap rounded-md border font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${sz} ${VARIANT[variant]} ${className}`}
      {...rest}
    >
      {icon ? <Icon name={icon} className="size-3.5" /> : null}
      {children}
    </button>
  );
}

export function Panel({ title, actions, children, className = '', bodyClassName = '' }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; bodyClassName?: string }) {
  return (
    <section className={`rounded-lg border border-line bg-panel ${className}`} aria-label={typeof title === 'string' ? title : undefined}>
      {title || actions ? (
        <header className="flex h-10 items-center justify-between gap-2 border-b border-line px-3">
          <h2 className="text-[13px] font-semibold text-fg">{title}</h2>
          <div className="flex items-center gap-2">{actions}</div>
        </header>
      ) : null}
      <div className={bodyClassName}>{children}</div>
    </section>
  );
}

export function EmptyState({ title, children, icon = 'flow' }: { title: string; children?: ReactNode; icon?: IconName }) {
  return (
    <div className="flex flex-col items-center justify-center gap-2 px-6 py-12 text-center" role="status">
      <div className="grid size-9 place-items-center rounded-lg bg-subtle text-fg-muted">
        <Icon name={icon} className="size-4.5" />
      </div>
      <p className="text-sm font-semibold text-fg">{title}</p>
      {children ? <div className="max-w-xl text-[13px] leading-relaxed text-fg-muted">{children}</div> : null}
    </div>
  );
}

export function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-subtle px-1 py-0.5 font-mono text-[12px] whitespace-nowrap text-fg">{children}</code>;
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="flex items-center gap-2 px-3 py-6 text-fg-muted" role="status" aria-live="polite">
      <Icon name="refresh" className="size-3.5" spin />
      <span>{label}…</span>
    </div>
  );
}

export function ErrorNote({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const msg = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="m-3 rounded-md border border-danger/40 bg-danger/8 px-3 py-2 text-[13px] text-fg">
      <span className="font-semibold text-danger">{title}: </span>
      {msg}
    </div>
  );
}
