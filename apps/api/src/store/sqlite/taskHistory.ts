/**
 * A task run's state history, kept in its row (task_runs.history, migration 7) as a JSON array of
 * entries in arrival order; a reordered (stale) state is appended, so readers sort by seq.
 */
import type { StateData, StateName, StateType } from '@flowlight/schema';

/** [seq, event id, type, name, timestamp, message (or null when only data follows), data] */
export type HistoryEntry =
  | [number, string, StateType, StateName, number]
  | [number, string, StateType, StateName, number, string | null]
  | [number, string, StateType, StateName, number, string | null, Record<string, unknown>];

export function historyEntry(eventId: string, seq: number, s: StateData): HistoryEntry {
  if (s.data !== undefined) return [seq, eventId, s.type, s.name, s.timestamp, s.message ?? null, s.data];
  if (s.message !== undefined) return [seq, eventId, s.type, s.name, s.timestamp, s.message];
  return [seq, eventId, s.type, s.name, s.timestamp];
}

export const parseHistory = (text: string): HistoryEntry[] => JSON.parse(text) as HistoryEntry[];

/** Whether the history holds this event already (a re-sent event: same seq and id). */
export const holdsEvent = (history: readonly HistoryEntry[], eventId: string, seq: number): boolean =>
  history.some((h) => h[0] === seq && h[1] === eventId);

/** The history column with one more entry. */
export const appendHistory = (text: string, entry: HistoryEntry): string =>
  JSON.stringify([...parseHistory(text), entry]);

/** The states of a history in seq order (arrival order within a seq). */
export function historyStates(text: string): StateData[] {
  return parseHistory(text)
    .map((h, i) => [h, i] as const)
    .sort(([a, i], [b, j]) => a[0] - b[0] || a[4] - b[4] || i - j)
    .map(([[, , type, name, timestamp, message, data]]) => {
      const s: StateData = { type, name, timestamp };
      if (message != null) s.message = message;
      if (data !== undefined) s.data = data;
      return s;
    });
}
