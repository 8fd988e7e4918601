/** React bindings for the live connection: provider, room subscription, status. */
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { UiRoom } from '@flowlight/schema';
import type { LiveConnection, LiveStatus } from './connection';

const LiveContext = createContext<LiveConnection | null>(null);

export function LiveProvider({ connection, children }: { connection: LiveConnection; children: ReactNode }) {
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

function useLive(): LiveConnection {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive outside LiveProvider');
  return live;
}

/** Keeps this component's room joined while it is mounted. */
export function useLiveRoom(room: UiRoom | null): void {
  const live = useLive();
  // Keyed by value, so a new object for the same room does not leave and re-join it.
  const flowRunId = room?.room === 'run' ? room.flowRunId : null;
  const kind = room?.room ?? null;
  useEffect(() => {
    if (kind === null) return undefined;
    return live.subscribe(kind === 'run' && flowRunId !== null ? { room: 'run', flowRunId } : { room: 'runs' });
  }, [live, kind, flowRunId]);
}

export function useLiveStatus(): { status: LiveStatus; downSince: number | null } {
  const live = useLive();
  const status = useSyncExternalStore(live.onChange, () => live.status);
  const downSince = useSyncExternalStore(live.onChange, () => live.downSince);
  return { status, downSince };
}
