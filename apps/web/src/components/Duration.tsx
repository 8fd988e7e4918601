/** A run's duration; ticks once a second while the run is going. */
import { isTerminalType, type StateType } from '@flowlight/schema';
import { formatDuration } from '../lib/format';
import { useNow } from '../lib/now';

export function Duration({
  startTime,
  endTime,
  durationMs,
  stateType,
}: {
  startTime: number | null;
  endTime: number | null;
  durationMs: number | null;
  stateType: StateType;
}) {
  const live = startTime !== null && endTime === null && !isTerminalType(stateType);
  const now = useNow(live);
  let ms = durationMs;
  if (ms === null && startTime !== null) {
    const end = endTime ?? (live ? now : null);
    ms = end !== null ? Math.max(0, end - startTime) : null;
  }
  return <span className="tabular">{formatDuration(ms)}</span>;
}
