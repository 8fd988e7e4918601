import { describe, expect, it } from 'vitest';
import { STATE_NAMES, STATE_TYPES, TYPE_OF_NAME, DEFAULT_NAME } from '@flowlight/schema';
import { STATE_TYPE_ORDER, TONE_CLASS, TONE_COLOR_NAME, stateStyle } from './state-style';

const colorOf = (type: (typeof STATE_TYPES)[number], name?: (typeof STATE_NAMES)[number]) =>
  TONE_COLOR_NAME[stateStyle({ type, name }).tone];

describe('state styles', () => {
  it('give every state type a color, icon, label and classes', () => {
    for (const type of STATE_TYPES) {
      const s = stateStyle({ type, name: DEFAULT_NAME[type] });
      expect(s.label.length).toBeGreaterThan(0);
      expect(s.icon.length).toBeGreaterThan(0);
      expect(s.classes).toBe(TONE_CLASS[s.tone]);
    }
  });

  it('give every state name a label and a look', () => {
    for (const name of STATE_NAMES) {
      const s = stateStyle({ type: TYPE_OF_NAME[name], name });
      expect(s.label).toMatch(/\w/);
      expect(TONE_COLOR_NAME[s.tone]).toBeDefined();
    }
  });

  it('use the colors the product promises', () => {
    expect(colorOf('COMPLETED')).toBe('green');
    expect(colorOf('COMPLETED', 'Cached')).toBe('green');
    expect(colorOf('FAILED')).toBe('red');
    expect(colorOf('FAILED', 'TimedOut')).toBe('red');
    expect(colorOf('CRASHED')).toBe('orange');
    expect(colorOf('RUNNING', 'Running')).toBe('blue');
    expect(colorOf('PAUSED', 'Paused')).toBe('yellow');
    expect(colorOf('SCHEDULED', 'Scheduled')).toBe('amber');
    expect(colorOf('SCHEDULED', 'Late')).toBe('amber');
    expect(colorOf('PENDING')).toBe('grey');
    expect(colorOf('CANCELLED')).toBe('grey');
    expect(colorOf('CANCELLING')).toBe('slate');
  });

  it('paint the retry names yellow whatever their type', () => {
    expect(colorOf('RUNNING', 'Retrying')).toBe('yellow');
    expect(colorOf('SCHEDULED', 'AwaitingRetry')).toBe('yellow');
    expect(stateStyle({ type: 'RUNNING', name: 'Retrying' }).icon).not.toBe(stateStyle({ type: 'RUNNING', name: 'Running' }).icon);
  });

  it('never distinguish states by color alone: same tone, different label or icon', () => {
    const seen = new Map<string, string>();
    for (const name of STATE_NAMES) {
      const s = stateStyle({ type: TYPE_OF_NAME[name], name });
      const key = `${s.label}`;
      expect(seen.has(key)).toBe(false);
      seen.set(key, name);
    }
  });

  it('ignore a name that does not belong to its type', () => {
    expect(stateStyle({ type: 'COMPLETED', name: 'Retrying' })).toMatchObject({ tone: 'completed', label: 'Completed' });
  });

  it('order every type exactly once', () => {
    expect([...STATE_TYPE_ORDER].sort()).toEqual([...STATE_TYPES].sort());
  });
});
