import { describe, expect, it } from 'vitest';
import { STATE_NAMES, STATE_TYPES, TYPE_OF_NAME, checkTransition, makeState, stateSchema } from '../src/index.js';

describe('transition table', () => {
  const ok = (from: Parameters<typeof checkTransition>[0], to: Parameters<typeof checkTransition>[1]) =>
    checkTransition(from, to).ok;
  it.each([
    [null, 'PENDING', 'Pending'],
    ['PENDING', 'RUNNING', 'Running'],
    ['RUNNING', 'COMPLETED', 'Completed'],
    ['RUNNING', 'SCHEDULED', 'AwaitingRetry'],
    ['SCHEDULED', 'RUNNING', 'Retrying'],
    ['RUNNING', 'PAUSED', 'Paused'],
    ['PAUSED', 'RUNNING', 'Running'],
    ['RUNNING', 'CRASHED', 'Crashed'],
    ['RUNNING', 'CANCELLING', 'Cancelling'],
    ['CANCELLING', 'CANCELLED', 'Cancelled'],
    ['FAILED', 'SCHEDULED', 'AwaitingRetry'],
  ] as const)('%s → %s (%s) is legal', (from, type, name) => {
    expect(ok(from ? { type: from } : null, { type, name })).toBe(true);
  });
  it.each([
    ['COMPLETED', 'RUNNING', 'Running'],
    ['FAILED', 'COMPLETED', 'Completed'],
    ['CANCELLED', 'RUNNING', 'Running'],
    ['CANCELLING', 'RUNNING', 'Running'],
    [null, 'PAUSED', 'Paused'],
  ] as const)('%s → %s (%s) is rejected with a reason', (from, type, name) => {
    const r = checkTransition(from ? { type: from } : null, { type, name });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(type === 'PAUSED' ? /cannot start/ : /cannot move|terminal/);
  });
  it('force only sets terminal states', () => {
    expect(checkTransition({ type: 'RUNNING' }, { type: 'FAILED', name: 'Failed' }, { force: true }).ok).toBe(true);
    expect(checkTransition({ type: 'RUNNING' }, { type: 'PAUSED', name: 'Paused' }, { force: true }).ok).toBe(false);
  });
  it('every name belongs to a type and validates', () => {
    for (const name of STATE_NAMES) {
      expect(STATE_TYPES).toContain(TYPE_OF_NAME[name]);
      expect(stateSchema.safeParse(makeState(TYPE_OF_NAME[name], { name, timestamp: 1 })).success).toBe(true);
    }
    expect(stateSchema.safeParse({ type: 'RUNNING', name: 'Completed', timestamp: 1 }).success).toBe(false);
  });
});
