/**
 * A task run's state history, kept in its row (task_runs.history, migration 7) as a JSON array of
 * entries in arrival order; a reordered (stale) state is appended, so readers sort by seq. An entry
 * is [seq, event id, type, timestamp] and, when needed, the name (null for the type's default
 * name), the message and the data: most are the four fields. (Bytes count: each 100 bytes of a
 * task run's row cost about as much to store as the rest of its ingest logic.)
 */
import { DEFAULT_NAME, type StateData, type StateName, type StateType } from '@flowlight/schema';

export type HistoryEntry =
  | [number, string, StateType, number]
  | [number, string, StateType, number, StateName | null]
  | [number, string, StateType, number, StateName | null, string | null]
  | [number, string, StateType, number, StateName | null, string | null, Record<string, unknown>];

export function historyEntry(eventId: string, seq: number, s: StateData): HistoryEntry {
  const name = s.name === DEFAULT_NAME[s.type] ? null : s.name;
  if (s.data !== undefined) return [seq, eventId, s.type, s.timestamp, name, s.message ?? null, s.data];
  if (s.message !== undefined) return [seq, eventId, s.type, s.timestamp, name, s.message];
  if (name !== null) return [seq, eventId, s.type, s.timestamp, name];
  return [seq, eventId, s.type, s.timestamp];
}

/** The entries of a history column; one that is not a JSON array (written by hand?) reads as empty. */
export function parseHistory(text: string): HistoryEntry[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((h): h is HistoryEntry => Array.isArray(h) && h.length >= 4) : [];
  } catch {
    return [];
  }
}

/** Whether the history holds this event already (a re-sent event: same seq and id). */
export const holdsEvent = (history: readonly HistoryEntry[], eventId: string, seq: number): boolean =>
  history.some((h) => h[0] === seq && h[1] === eventId);

/** The history column with one more entry. */
export const appendHistory = (text: string, entry: HistoryEntry): string =>
  JSON.stringify([...parseHistory(text), entry]);

/** The states of a history in seq order (by timestamp, then arrival, within a seq). */
export function historyStates(text: string): StateData[] {
  return parseHistory(text)
    .map((h, i) => [h, i] as const)
    .sort(([a, i], [b, j]) => a[0] - b[0] || a[3] - b[3] || i - j)
    .map(([[, , type, timestamp, name, message, data]]) => {
      const s: StateData = { type, name: name ?? DEFAULT_NAME[type], timestamp };
      if (message != null) s.message = message;
      if (data !== undefined) s.data = data;
      return s;
    });
}
