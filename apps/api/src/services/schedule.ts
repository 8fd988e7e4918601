/**
 * When a schedule fires: cron expressions (5 fields, read in the schedule's IANA time zone, via
 * cron-parser 5) and intervals counted from the schedule's anchor (the time it was set), so the
 * occurrences are the same whoever computes them — which makes creating runs ahead idempotent.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Schedule } from '@flowlight/schema';

/** Why a schedule cannot be used, or null. */
export function scheduleProblem(schedule: Schedule): string | null {
  if (!('cron' in schedule)) return null;
  if (schedule.cron.trim().split(/\s+/).length !== 5) {
    return `cron "${schedule.cron}" needs 5 fields (minute hour day-of-month month day-of-week)`;
  }
  try {
    Intl.DateTimeFormat('en-US', { timeZone: schedule.timezone });
  } catch {
    return `timezone "${schedule.timezone}" is not an IANA time zone (e.g. Europe/Berlin)`;
  }
  try {
    CronExpressionParser.parse(schedule.cron, { tz: schedule.timezone }).next();
  } catch (err) {
    return `cron "${schedule.cron}" is not valid: ${err instanceof Error ? err.message : String(err)}`;
  }
  return null;
}

/** Occurrences at or after `from` and at or before `until`, at most `max`, ascending. */
export function occurrences(schedule: Schedule, anchor: number, from: number, until: number, max: number): number[] {
  const out: number[] = [];
  if ('intervalSeconds' in schedule) {
    const every = schedule.intervalSeconds * 1000;
    let t = anchor + Math.max(0, Math.ceil((from - anchor) / every)) * every;
    for (; out.length < max && t <= until; t += every) out.push(Math.round(t));
    return out;
  }
  try {
    const it = CronExpressionParser.parse(schedule.cron, { currentDate: new Date(from - 1), tz: schedule.timezone });
    while (out.length < max) {
      const t = it.next().getTime();
      if (t > until) break;
      out.push(t);
    }
  } catch {
    // an invalid schedule was refused at registration; one stored by an older version fires never
  }
  return out;
}

/** A schedule in words: "every 30 s" or "cron 0 * * * * (Europe/Berlin)". */
export function describeSchedule(schedule: Schedule): string {
  return 'intervalSeconds' in schedule ? `every ${schedule.intervalSeconds} s` : `cron ${schedule.cron} (${schedule.timezone})`;
}
