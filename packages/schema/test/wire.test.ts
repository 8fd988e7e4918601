import { describe, expect, it } from 'vitest';
import {
  expandGroup,
  MAX_STATES_PER_GROUP,
  toWire,
  wireEventSchema,
  type FlowlightEvent,
  type TaskRunStateEvent,
} from '../src/index.js';

const ts = 1_700_000_000_000;
let n = 0;
const info = (name: string) => ({ taskName: 'step', taskKey: 'step', name, tags: ['a'] });
const task = (
  runId: string,
  seq: number,
  type: 'PENDING' | 'RUNNING' | 'COMPLETED',
  first = false,
): TaskRunStateEvent => ({
  kind: 'task-run-state',
  id: `ev${++n}`,
  seq,
  ts: ts + seq,
  runId,
  flowRunId: 'f1',
  taskRun: first
    ? { ...info(runId), parameters: { text: '1', type: 'number', exact: true, truncated: false } }
    : info(runId),
  attempt: 1,
  state: {
    type,
    name: type === 'PENDING' ? 'Pending' : type === 'RUNNING' ? 'Running' : 'Completed',
    timestamp: ts + seq,
  },
  ...(type === 'COMPLETED' ? { result: { text: '2', type: 'number', exact: true, truncated: false } } : {}),
});
const log = (message: string): FlowlightEvent => ({
  kind: 'log',
  id: `ev${++n}`,
  seq: 0,
  ts,
  runId: 'f1',
  flowRunId: 'f1',
  level: 20,
  message,
});

/** The wire form expanded back, as the API does. */
const expand = (wire: ReturnType<typeof toWire>): FlowlightEvent[] =>
  wire.flatMap((w) => (w.kind === 'task-run-states' ? expandGroup(wireEventSchema.parse(w) as never) : [w]));
const perRun = (events: FlowlightEvent[]) => {
  const m = new Map<string, string[]>();
  for (const e of events) m.set(e.runId, [...(m.get(e.runId) ?? []), e.id]);
  return m;
};

describe('wire form of a batch', () => {
  it('groups each task run’s states once, keeps every run’s order, and expands to the same events', () => {
    const events: FlowlightEvent[] = [
      task('t1', 0, 'PENDING', true),
      task('t2', 0, 'PENDING', true),
      log('between'),
      task('t1', 1, 'RUNNING'),
      task('t2', 1, 'RUNNING'),
      task('t1', 2, 'COMPLETED'),
      task('t3', 5, 'RUNNING'),
    ];
    const wire = toWire(events);
    expect(wire.map((w) => w.kind)).toEqual(['task-run-states', 'task-run-states', 'log', 'task-run-state']);
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(events).length * 0.8);

    const back = expand(wire);
    expect(back).toHaveLength(events.length);
    expect(perRun(back)).toEqual(perRun(events));
    const byId = new Map(back.map((e) => [e.id, e]));
    for (const e of events) expect(byId.get(e.id)).toEqual(e);
  });

  it('leaves out an attempt of 1 and a default state name, and brings every other back', () => {
    const first = task('t30', 0, 'PENDING', true);
    const failed = {
      ...task('t30', 1, 'RUNNING'),
      state: {
        type: 'SCHEDULED' as const,
        name: 'AwaitingRetry' as const,
        timestamp: ts,
        message: 'retry in 1s',
        data: { scheduledTime: ts + 1000 },
      },
    };
    const retrying = {
      ...task('t30', 2, 'RUNNING'),
      attempt: 2,
      state: { type: 'RUNNING' as const, name: 'Retrying' as const, timestamp: ts + 1000 },
    };
    const done = { ...task('t30', 3, 'COMPLETED'), attempt: 2, ts: ts + 5 };
    const [group] = toWire([first, failed, retrying, done]);
    const text = JSON.stringify(group);
    expect(text).not.toContain('"attempt":1');
    expect(text).not.toContain('"Pending"');
    expect(expand(JSON.parse(`[${text}]`) as never)).toEqual([first, failed, retrying, done]);
  });

  it('never groups events of one run that disagree on identity, and caps a group', () => {
    const a = task('t9', 0, 'PENDING', true);
    const renamed = { ...task('t9', 1, 'RUNNING'), taskRun: info('other-name') };
    expect(toWire([a, renamed]).map((w) => w.kind)).toEqual(['task-run-state', 'task-run-state']);

    const many = Array.from({ length: MAX_STATES_PER_GROUP + 3 }, (_, i) =>
      task('t10', i, 'RUNNING', i === 0),
    );
    const wire = toWire(many);
    expect(wire.map((w) => (w.kind === 'task-run-states' ? w.states.length : 1))).toEqual([
      MAX_STATES_PER_GROUP,
      3,
    ]);
    expect(expand(wire).map((e) => e.id)).toEqual(many.map((e) => e.id));
  });

  it('holds a group’s states to the bounds of the plain event: each bad field is refused, by name', () => {
    // [path in the plain event, path in a group's state, spoil]
    const bad: [string, string, (e: TaskRunStateEvent) => void][] = [
      ['id', 'id', (e) => (e.id = '')],
      ['id', 'id', (e) => (e.id = 'x'.repeat(129))],
      ['seq', 'seq', (e) => (e.seq = -1)],
      ['seq', 'seq', (e) => (e.seq = 1.5)],
      ['seq', 'seq', (e) => (e.seq = 2 ** 60)],
      ['attempt', 'attempt', (e) => (e.attempt = 0)],
      ['ts', 'ts', (e) => (e.ts = -5)],
      ['state.timestamp', 'timestamp', (e) => (e.state = { ...e.state, timestamp: 2.5 })],
      ['state.message', 'message', (e) => (e.state = { ...e.state, message: 'm'.repeat(100_001) })],
      ['state.name', 'name', (e) => (e.state = { ...e.state, name: 'Completed' })],
    ];
    for (const [field, groupField, spoil] of bad) {
      const first = task('t20', 0, 'PENDING', true);
      const second = task('t20', 1, 'RUNNING');
      spoil(second);
      const plain = wireEventSchema.safeParse(second);
      expect(plain.success, `plain event with a bad ${field}`).toBe(false);
      expect(plain.error!.issues.map((i) => i.path.join('.'))).toContain(field);

      const [group] = toWire([first, second]);
      expect(group!.kind).toBe('task-run-states');
      const grouped = wireEventSchema.safeParse(JSON.parse(JSON.stringify(group)));
      expect(grouped.success, `group with a bad ${field}`).toBe(false);
      expect(grouped.error!.issues.map((i) => i.path.join('.'))).toEqual([`states.1.${groupField}`]);
    }
    // and the same group unspoiled passes
    expect(
      wireEventSchema.safeParse(toWire([task('t21', 0, 'PENDING', true), task('t21', 1, 'RUNNING')])[0])
        .success,
    ).toBe(true);
  });
});
