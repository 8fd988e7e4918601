/** Start/end/duration of a run from its state changes: start = first RUNNING, end = terminal state. */
import { isTerminalType, type StateData } from '@flowlight/schema';

export interface Timing {
  start_time: number | null;
  end_time: number | null;
  duration_ms: number | null;
}

export function nextTiming(cur: Timing | null, state: StateData): Timing {
  let start = cur?.start_time ?? null;
  if (state.type === 'RUNNING' && start === null) start = state.timestamp;
  if (isTerminalType(state.type)) {
    const end = state.timestamp;
    return { start_time: start, end_time: end, duration_ms: start === null ? null : Math.max(0, end - start) };
  }
  return { start_time: start, end_time: null, duration_ms: null };
}
