import { Cron } from "croner";
import { isTimeZone as isValidTimeZone } from "@/lib/i18n/locales";
import type { FieldError } from "../errors";

// Cron expressions with IANA time zones, through croner: five fields (minute hour
// day-of-month month day-of-week; names like MON-FRI and nicknames like @daily work), evaluated
// in the schedule's zone, so "0 9 * * 1-5" in Europe/Paris is 09:00 Paris time all year
// (08:00Z in winter, 07:00Z in summer), and a 02:30 that a DST change skips runs at 03:00.

/** True for a zone the runtime knows (IANA names, e.g. "Europe/Paris", "UTC"): one check for schedules and people. */
export { isValidTimeZone };

function build(expression: string, timezone: string): Cron {
  return new Cron(expression, { timezone, paused: true, mode: "5-part" });
}

/** Field errors (paths `cron`, `timezone`) for an expression and zone; empty when both are good. */
export function checkCron(expression: string, timezone: string, now: Date): FieldError[] {
  if (!isValidTimeZone(timezone)) {
    return [
      { path: "timezone", message: `Unknown time zone ${timezone}: use an IANA name like Europe/Paris` },
    ];
  }
  let cron: Cron;
  try {
    cron = build(expression, timezone);
  } catch (error) {
    const detail = (error as Error).message.replace(/^CronPattern:\s*/, "");
    return [{ path: "cron", message: `Not a 5-field cron expression: ${detail}` }];
  }
  if (!cron.nextRun(now)) return [{ path: "cron", message: "This expression never runs" }];
  return [];
}

/** The first occurrence strictly after `after`, or null. */
export function nextOccurrence(expression: string, timezone: string, after: Date): Date | null {
  return build(expression, timezone).nextRun(after);
}

/** The next `n` occurrences strictly after `after`. */
export function upcomingOccurrences(expression: string, timezone: string, after: Date, n: number): Date[] {
  return build(expression, timezone).nextRuns(n, after);
}

export interface Occurrences {
  /** How many occurrences fall in [from, to] (stops counting at `cap`). */
  count: number;
  capped: boolean;
  /** The latest of them, or null when none. */
  latest: Date | null;
}

/** The occurrences in [from, to], from inclusive (occurrences are whole minutes). */
export function occurrencesBetween(
  expression: string,
  timezone: string,
  from: Date,
  to: Date,
  cap = 10_000,
): Occurrences {
  const cron = build(expression, timezone);
  let count = 0;
  let latest: Date | null = null;
  let cursor: Date | null = cron.nextRun(new Date(from.getTime() - 1_000));
  while (cursor && cursor.getTime() <= to.getTime()) {
    count += 1;
    latest = cursor;
    if (count >= cap) {
      // Too many to walk: jump to the last one before `to`.
      const [last] = cron.previousRuns(1, new Date(to.getTime() + 1_000));
      return { count, capped: true, latest: last ?? latest };
    }
    cursor = cron.nextRun(cursor);
  }
  return { count, capped: false, latest };
}
