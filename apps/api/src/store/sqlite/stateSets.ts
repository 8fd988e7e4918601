/** State-type sets as SQL lists, built once from the schema's tables. */
import { STATE_TYPES, TERMINAL, type StateType } from '@flowlight/schema';

const sqlList = (types: readonly StateType[]) => `(${types.map((t) => `'${t}'`).join(',')})`;

/** Runs in progress (a process owns them): the text equals the WHERE of the `flow_runs_live` partial index. */
export const LIVE_TYPES = sqlList(['PENDING', 'RUNNING', 'PAUSED', 'CANCELLING']);
export const TERMINAL_TYPES = sqlList(STATE_TYPES.filter((t) => TERMINAL[t]));
