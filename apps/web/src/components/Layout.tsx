/** App frame: header with navigation, live indicator and theme controls; the API-unreachable banner. */
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { reachability } from '../api/reachability';
import { useLiveStatus } from '../live/hooks';
import { setPalette, setTheme, usePalette, useTheme, THEMES, type Theme } from '../lib/theme';
import { Icon, type IconName } from './Icon';

const NAV = [
  { to: '/', label: 'Dashboard', icon: 'home', end: true },
  { to: '/runs', label: 'Runs', icon: 'list', end: false },
  { to: '/flows', label: 'Flows', icon: 'flow', end: false },
  { to: '/deployments', label: 'Deployments', icon: 'play', end: false },
] as const satisfies readonly { to: string; label: string; icon: IconName; end: boolean }[];

const THEME_ICON = { system: 'monitor', light: 'sun', dark: 'moon' } as const satisfies Record<Theme, IconName>;

function LiveIndicator() {
  const { status } = useLiveStatus();
  const label = status === 'connected' ? 'Live' : status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  return (
    <div role="status" aria-label={`Live updates: ${label}`} data-live-status={status} className="flex items-center gap-1.5 text-xs text-fg-muted" title={status === 'connected' ? 'Receiving live updates' : 'Live updates paused; reconnecting by itself'}>
      <span className="relative flex size-2">
        {status === 'connected' ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-st-completed opacity-40" /> : null}
        <span className={`relative inline-flex size-2 rounded-full ${status === 'connected' ? 'bg-st-completed' : 'bg-st-waiting'}`} />
      </span>
      {label}
    </div>
  );
}

function ThemeControls() {
  const theme = useTheme();
  const palette = usePalette();
  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        aria-pressed={palette === 'colorblind'}
        aria-label="Color-blind safe palette"
        title="Color-blind safe palette"
        onClick={() => setPalette(palette === 'colorblind' ? 'standard' : 'colorblind')}
        className={`grid size-7 place-items-center rounded-md border ${palette === 'colorblind' ? 'border-accent text-accent' : 'border-transparent text-fg-muted hover:bg-hover'}`}
      >
        <Icon name="eye" />
      </button>
      <div role="radiogroup" aria-label="Theme" className="flex rounded-md border border-line bg-subtle p-0.5">
        {THEMES.map((t) => (
          <button
            key={t}
            type="button"
            role="radio"
            aria-checked={theme === t}
            aria-label={`${t[0]?.toUpperCase()}${t.slice(1)} theme`}
            title={`${t[0]?.toUpperCase()}${t.slice(1)} theme`}
            onClick={() => setTheme(t)}
            className={`grid size-6 place-items-center rounded ${theme === t ? 'bg-panel text-fg shadow-sm' : 'text-fg-subtle hover:text-fg'}`}
          >
            <Icon name={THEME_ICON[t]} className="size-3.5" />
          </button>
        ))}
      </div>
    </div>
  );
}

function ApiBanner() {
  const reachable = useSyncExternalStore(reachability.subscribe, reachability.get);
  const { status, downSince } = useLiveStatus();
  const [, force] = useState(0);
  // The socket being down for a few seconds also means the API is away.
  useEffect(() => {
    if (downSince === null) return undefined;
    const t = setTimeout(() => force((n) => n + 1), 4000);
    return () => clearTimeout(t);
  }, [downSince]);
  const socketDown = status !== 'connected' && downSince !== null && Date.now() - downSince > 3500;
  if (reachable && !socketDown) return null;
  return (
    <div role="alert" className="flex items-center gap-2 border-b border-st-failed/40 bg-st-failed/10 px-4 py-2 text-[13px] text-fg">
      <Icon name="plug" className="size-3.5 text-st-failed" />
      <span>
        <strong className="font-semibold">Cannot reach the Flowlight API.</strong> Showing what was loaded last; the page reconnects by
        itself. Is the server running (<code className="font-mono text-xs">pnpm start</code>)?
      </span>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-full flex-col">
      <header className="flex h-12 shrink-0 items-center gap-6 border-b border-line bg-panel px-4">
        <NavLink to="/" className="flex items-center gap-2 font-semibold tracking-tight text-fg" aria-label="Flowlight home">
          <svg viewBox="0 0 32 32" className="size-5" aria-hidden>
            <rect width="32" height="32" rx="7" className="fill-fg" />
            <rect x="6" y="9" width="9" height="4" rx="2" className="fill-st-completed" />
            <rect x="10" y="15" width="12" height="4" rx="2" className="fill-st-running" />
            <rect x="14" y="21" width="12" height="4" rx="2" className="fill-st-waiting" />
          </svg>
          Flowlight
        </NavLink>
        <nav aria-label="Main" className="flex items-center gap-1">
          {NAV.map((n) => (
            <NavLink
              key={n.to}
              to={n.to}
              end={n.end}
              className={({ isActive }) =>
                `flex h-7 items-center gap-1.5 rounded-md px-2.5 text-[13px] font-medium ${isActive ? 'bg-subtle text-fg' : 'text-fg-muted hover:bg-hover hover:text-fg'}`
              }
            >
              <Icon name={n.icon} className="size-3.5" />
              {n.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-4">
          <LiveIndicator />
          <ThemeControls />
        </div>
      </header>
      <ApiBanner />
      <main className="min-h-0 flex-1 overflow-auto">{children}</main>
    </div>
  );
}
