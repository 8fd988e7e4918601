import { describe, expect, it } from 'vitest';
import type { TaskRunSummary } from '@flowlight/schema';
import { hitTest, layoutTimeline, tickStep } from './timeline';

const task = (id: string, start: number | null, end: number | null): TaskRunSummary => ({
  id,
  flowRunId: 'f',
  taskName: 't',
  taskKey: 't',
  name: id,
  tags: [],
  mapIndex: null,
  state: { type: end === null ? 'RUNNING' : 'COMPLETED', name: end === null ? 'Running' : 'Completed', timestamp: end ?? start ?? 0 },
  attempts: 1,
  startTime: start,
  endTime: end,
  durationMs: end !== null && start !== null ? end - start : null,
  error: null,
  createdAt: start ?? 0,
});

describe('timeline layout', () => {
  it('puts sequential tasks in one lane and parallel ones in separate lanes', () => {
    const l = layoutTimeline([task('a', 0, 10), task('b', 10, 20), task('c', 5, 15), task('d', 20, 30)], 100, 0, 30);
    const lane = Object.fromEntries(l.bars.map((b) => [b.task.id, b.lane]));
    expect(lane.a).toBe(lane.b);
    expect(lane.c).not.toBe(lane.a);
    expect(l.lanes).toHaveLength(2);
    for (const bars of l.lanes) for (let i = 1; i < bars.length; i++) expect(bars[i]!.start).toBeGreaterThanOrEqual(bars[i - 1]!.end);
  });

  it('draws running tasks up to now and skips tasks that never started', () => {
    const l = layoutTimeline([task('a', 50, null), task('p', null, null)], 80, 40, null);
    expect(l.bars).toHaveLength(1);
    expect(l.bars[0]).toMatchObject({ end: 80, running: true });
    expect([l.t0, l.t1]).toEqual([40, 80]);
  });

  it('packs 10,000 sequential tasks into one lane', () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) => task(String(i), i * 10, i * 10 + 10));
    expect(layoutTimeline(tasks, 0, null, null).lanes).toHaveLength(1);
  });

  it('finds the bar under a point', () => {
    const l = layoutTimeline([task('a', 0, 10), task('b', 20, 30)], 100, 0, 30);
    expect(hitTest(l.lanes[0], 25, 0)?.task.id).toBe('b');
    expect(hitTest(l.lanes[0], 15, 0)).toBeNull();
    expect(hitTest(l.lanes[0], 15, 6)?.task.id).toBeDefined();
  });

  it('chooses readable tick steps', () => {
    expect(tickStep(60_000, 600)).toBe(10_000);
    expect(tickStep(1000, 1000)).toBe(100);
  });
});
