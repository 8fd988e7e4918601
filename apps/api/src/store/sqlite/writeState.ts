/**
 * States the API writes itself (crash detection, cancel of a disconnected run, retry, set-state).
 * seq = the run's max seq + 1 so a late engine event with an older seq cannot overwrite it; the
 * transition table decides (forced for set-state). Optionally the run's unfinished task runs
 * follow into a terminal state so nothing stays "Running" forever.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { checkTransition, DEFAULT_NAME, type ErrorData, type StateData, type StateType } from '@flowlight/schema';
import { emptyChanges, type WriteStateOutcome } from '../types.js';
import type { FlowRunsRepo } from './flowRuns.js';
import { json, rowState } from './rows.js';
import type { StatesRepo } from './states.js';
import { appendHistory, historyEntry } from './taskHistory.js';
import { setCurrentState, type TaskRunsRepo } from './taskRuns.js';
import { nextTiming } from './timing.js';

export interface WriteStateOptions {
  force?: boolean;
  error?: ErrorData;
  /** Terminal type the unfinished task runs move to. */
  cascadeTasks?: StateType;
}

export function createWriteState(
  db: Database.Database,
  repos: { flowRuns: FlowRunsRepo; taskRuns: TaskRunsRepo; states: StatesRepo },
  now: () => number,
) {
  const { flowRuns, taskRuns, states } = repos;
  return db.transaction((id: string, state: StateData, opts: WriteStateOptions = {}): WriteStateOutcome => {
    const cur = flowRuns.get(id);
    if (!cur) return { ok: false, reason: `flow run ${JSON.stringify(id)} not found`, state: null };
    const check = checkTransition({ type: cur.state_type, name: cur.state_name }, state, { force: opts.force ?? false });
    if (!check.ok) return { ok: false, reason: check.reason, state: rowState(cur) };
    const at = now();
    const seq = cur.max_seq + 1;
    states.insert(`api-${randomUUID()}`, id, seq, state);
    flowRuns.update(
      {
        ...cur,
        state_type: state.type,
        state_name: state.name,
        state_message: state.message ?? null,
        state_ts: state.timestamp,
        state_data: json(state.data),
        state_seq: seq,
        max_seq: seq,
        ...nextTiming(cur, state),
        error: opts.error ? JSON.stringify(opts.error) : state.type === 'COMPLETED' ? null : cur.error,
        updated_at: at,
      },
      cur.tags,
    );
    const changes = emptyChanges();
    changes.flowRunIds.add(id);
    if (opts.cascadeTasks) {
      const type = opts.cascadeTasks;
      for (const t of taskRuns.liveByFlow(id)) {
        const ts: StateData = { type, name: DEFAULT_NAME[type], timestamp: state.timestamp };
        ts.message = `flow run became ${state.name}${state.message ? `: ${state.message}` : ''}`;
        if (!checkTransition({ type: t.state_type, name: t.state_name }, ts).ok) continue;
        const tseq = t.state_seq + 1;
        setCurrentState(t, tseq, ts, at);
        t.history = appendHistory(t.history, historyEntry(`api-${randomUUID()}`, tseq, ts));
        taskRuns.upsert(t);
        changes.taskRuns.set(t.id, id);
      }
      flowRuns.recountTasks(id);
    }
    return { ok: true, state, changes };
  });
}
