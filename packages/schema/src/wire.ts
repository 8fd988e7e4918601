/**
 * The wire form of an event batch. Most of a busy flow's events are a task run's Pending →
 * Running → Completed, sent within milliseconds of each other, each repeating the task run's
 * identity. On the wire, the state events of one task run in a batch travel as one
 * `task-run-states` group carrying the identity once; the API expands a group back into exactly
 * the `task-run-state` events it stands for, in order, before anything else looks at them. Plain
 * events stay valid on the wire, so a client may send either form.
 */
import { z } from 'zod';
import {
  eventSchema,
  ID_MAX_LENGTH,
  taskRunInfoSchema,
  taskRunStateEventSchema,
  valuePreviewSchema,
  type FlowlightEvent,
  type TaskRunInfo,
  type TaskRunStateEvent,
} from './events.js';
import {
  DEFAULT_NAME,
  errorDataSchema,
  STATE_MESSAGE_MAX_LENGTH,
  stateNameSchema,
  stateTypeSchema,
  TYPE_OF_NAME,
} from './states.js';

/** Most states one group holds; the reporter starts a new group past it. */
export const MAX_STATES_PER_GROUP = 64;

/**
 * A state of a group: the event's state fields inline, `attempt` left out when 1 and `name` when
 * it is the type's default name (most states of a busy flow), so a group is fewer bytes and objects
 * to write, parse and check. The fields have the types of a `task-run-state` event's; their bounds
 * (an id of 1–128 characters, integer seq ≥ 0, …) are checked in one pass over the group below
 * rather than by a zod check per field: a group holds ~30 such fields, and those checks were most
 * of the time the API spent validating it.
 */
const groupStateSchema = z.object({
  id: z.string(),
  seq: z.number(),
  /** 1 when left out. */
  attempt: z.number().optional(),
  type: stateTypeSchema,
  /** The type's default name when left out. */
  name: stateNameSchema.optional(),
  timestamp: z.number(),
  message: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  result: valuePreviewSchema.optional(),
  error: errorDataSchema.optional(),
  /** Epoch ms when the engine recorded the event; the state's timestamp when left out. */
  ts: z.number().optional(),
});
type GroupState = z.infer<typeof groupStateSchema>;

const isCount = (n: number, min: number) => Number.isSafeInteger(n) && n >= min;

type GroupPayload = z.core.ParsePayload<{ states: GroupState[] }>;

function issue(ctx: GroupPayload, i: number, field: string, message: string, input: unknown) {
  ctx.issues.push({ code: 'custom', message, input, path: ['states', i, field] });
}

/** The bounds of a group's states, as the plain event's schema has them; an issue per field. */
function checkStates(ctx: GroupPayload) {
  const states = ctx.value.states;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    if (s.id.length < 1 || s.id.length > ID_MAX_LENGTH) issue(ctx, i, 'id', `must be 1 to ${ID_MAX_LENGTH} characters`, s.id);
    if (!isCount(s.seq, 0)) issue(ctx, i, 'seq', 'must be an integer ≥ 0', s.seq);
    if (s.attempt !== undefined && !isCount(s.attempt, 1)) issue(ctx, i, 'attempt', 'must be an integer ≥ 1', s.attempt);
    if (s.ts !== undefined && !isCount(s.ts, 0)) issue(ctx, i, 'ts', 'must be an integer ≥ 0', s.ts);
    if (!isCount(s.timestamp, 0)) issue(ctx, i, 'timestamp', 'must be an integer ≥ 0', s.timestamp);
    if (s.message !== undefined && s.message.length > STATE_MESSAGE_MAX_LENGTH) {
      issue(ctx, i, 'message', `must be at most ${STATE_MESSAGE_MAX_LENGTH} characters`, s.message.length);
    }
    if (s.name !== undefined && TYPE_OF_NAME[s.name] !== s.type) issue(ctx, i, 'name', 'state name does not belong to its type', s.name);
  }
}

export const taskRunStatesGroupSchema = z
  .object({
    kind: z.literal('task-run-states'),
    runId: taskRunStateEventSchema.shape.runId,
    flowRunId: taskRunStateEventSchema.shape.flowRunId,
    /** The task run's identity, with its parameters when the group holds the run's first event. */
    taskRun: taskRunInfoSchema,
    states: z.array(groupStateSchema).min(1).max(MAX_STATES_PER_GROUP),
  })
  .check(checkStates);
export type TaskRunStatesGroup = z.infer<typeof taskRunStatesGroupSchema>;

/** Every event kind, and the group. */
export const wireEventSchema = z.discriminatedUnion('kind', [...eventSchema.options, taskRunStatesGroupSchema]);
export type WireEvent = FlowlightEvent | TaskRunStatesGroup;

/**
 * Groups the task-run state events of a batch by task run. A group takes the place of its run's
 * first event, so each run's events keep their order; other events keep theirs. A run with a
 * single state event in the batch travels as a plain event.
 */
export function toWire(events: readonly FlowlightEvent[]): WireEvent[] {
  const out: WireEvent[] = [];
  /** task run id → its group, or the index of its plain event in `out` while it has one event */
  const open = new Map<string, TaskRunStatesGroup | number>();
  for (const e of events) {
    if (e.kind !== 'task-run-state') {
      out.push(e);
      continue;
    }
    const seen = open.get(e.runId);
    if (seen === undefined) {
      open.set(e.runId, out.length);
      out.push(e);
      continue;
    }
    const head = typeof seen === 'number' ? (out[seen] as TaskRunStateEvent) : seen;
    const full = typeof seen === 'number' ? false : seen.states.length >= MAX_STATES_PER_GROUP;
    if (full || head.flowRunId !== e.flowRunId || !sameIdentity(head.taskRun, e.taskRun)) {
      // a full group, or not the same run as far as the API could tell: this event starts afresh
      open.set(e.runId, out.length);
      out.push(e);
      continue;
    }
    let group: TaskRunStatesGroup;
    if (typeof seen === 'number') {
      group = {
        kind: 'task-run-states',
        runId: head.runId,
        flowRunId: head.flowRunId,
        taskRun: head.taskRun,
        states: [groupState(head as TaskRunStateEvent)],
      };
      out[seen] = group;
      open.set(e.runId, group);
    } else group = seen;
    group.states.push(groupState(e));
  }
  return out;
}

function groupState(e: TaskRunStateEvent): GroupState {
  const st = e.state;
  const s: GroupState = { id: e.id, seq: e.seq, type: st.type, timestamp: st.timestamp };
  if (e.attempt !== 1) s.attempt = e.attempt;
  if (st.name !== DEFAULT_NAME[st.type]) s.name = st.name;
  if (st.message !== undefined) s.message = st.message;
  if (st.data !== undefined) s.data = st.data;
  if (e.ts !== st.timestamp) s.ts = e.ts;
  if (e.result) s.result = e.result;
  if (e.error) s.error = e.error;
  return s;
}

/** Same identity apart from parameters, which only a run's first event carries. */
function sameIdentity(a: TaskRunInfo, b: TaskRunInfo): boolean {
  return (
    a === b ||
    (a.taskName === b.taskName &&
      a.taskKey === b.taskKey &&
      a.name === b.name &&
      a.mapIndex === b.mapIndex &&
      a.tags.length === b.tags.length &&
      a.tags.every((t, i) => t === b.tags[i]) &&
      (b.parameters === undefined || b.parameters === a.parameters))
  );
}

/** The `task-run-state` events a validated group stands for, in order. */
export function expandGroup(g: TaskRunStatesGroup): TaskRunStateEvent[] {
  const { parameters: _first, ...rest } = g.taskRun;
  const later: TaskRunInfo = rest;
  return g.states.map((s, i) => {
    const e: TaskRunStateEvent = {
      kind: 'task-run-state',
      id: s.id,
      seq: s.seq,
      ts: s.ts ?? s.timestamp,
      runId: g.runId,
      flowRunId: g.flowRunId,
      taskRun: i === 0 ? g.taskRun : later,
      attempt: s.attempt ?? 1,
      state: { type: s.type, name: s.name ?? DEFAULT_NAME[s.type], timestamp: s.timestamp },
    };
    if (s.message !== undefined) e.state.message = s.message;
    if (s.data !== undefined) e.state.data = s.data;
    if (s.result) e.result = s.result;
    if (s.error) e.error = s.error;
    return e;
  });
}
