// Business hours of a queue (docs/sla.md): the SLA clock only runs inside them. A calendar is
// opening intervals per weekday in an IANA time zone, minus holidays (local dates). Times are
// converted with Intl (no dependency): a local wall-clock time → UTC by the zone's offset at
// that instant, checked again across a DST change.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningHours {
  days: Weekday[];
  /** "HH:MM", local time. */
  from: string;
  /** "HH:MM", local time, after `from` ("24:00" = midnight at the end of the day). */
  to: string;
}

export interface BusinessCalendar {
  time_zone: string;
  hours: OpeningHours[];
  /** Local dates "YYYY-MM-DD" when the queue is closed. */
  holidays: string[];
}

export interface FieldIssue {
  path: string;
  message: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Every problem of a calendar, each naming its field (under `prefix`). Empty = valid. */
export function calendarIssues(calendar: BusinessCalendar, prefix = "calendar"): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isTimeZone(calendar.time_zone))
    issues.push({ path: `${prefix}.time_zone`, message: `Unknown IANA time zone "${calendar.time_zone}"` });
  if (calendar.hours.length === 0)
    issues.push({ path: `${prefix}.hours`, message: "At least one opening interval is needed" });
  const byDay = new Map<Weekday, { from: number; to: number; index: number }[]>();
  calendar.hours.forEach((h, index) => {
    const path = `${prefix}.hours.${index}`;
    if (!HHMM.test(h.from) || !HHMM.test(h.to) || h.from === "24:00") {
      issues.push({ path, message: `Times are "HH:MM" (got ${h.from}–${h.to})` });
      return;
    }
    const from = minutesOf(h.from);
    const to = minutesOf(h.to);
    if (to <= from) issues.push({ path, message: `Closes (${h.to}) before it opens (${h.from})` });
    if (h.days.length === 0) issues.push({ path: `${path}.days`, message: "No day given" });
    for (const day of h.days) {
      if (!WEEKDAYS.includes(day)) {
        issues.push({ path: `${path}.days`, message: `Unknown day "${day}" (mon…sun)` });
        continue;
      }
      const others = byDay.get(day) ?? [];
      const clash = others.find((o) => from < o.to && o.from < to);
      if (clash)
        issues.push({
          path,
          message: `Overlaps hours.${clash.index} on ${day} (${h.from}–${h.to})`,
        });
      byDay.set(day, [...others, { from, to, index }]);
    }
  });
  calendar.holidays.forEach((d, i) => {
    if (!DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      issues.push({ path: `${prefix}.holidays.${i}`, message: `Not a date YYYY-MM-DD: "${d}"` });
  });
  return issues;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's local wall clock at `t` as a UTC timestamp (so local − t is the offset). */
function localAsUtc(t: number, zone: string): number {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** UTC instant of the local wall-clock time `localMs` (a Date.UTC of the local fields). */
function zonedToUtc(localMs: number, zone: string): number {
  let guess = localMs - (localAsUtc(localMs, zone) - localMs);
  guess = localMs - (localAsUtc(guess, zone) - guess);
  return guess;
}

const DAY_MS = 86_400_000;
/** Give up walking after this many days (a valid calendar is open at least once a week). */
const MAX_DAYS = 3_700;

/** The open intervals [start, end) in UTC ms of the local day starting at `localDay` (ms, UTC fields). */
function openIntervals(localDay: number, calendar: BusinessCalendar): [number, number][] {
  const date = new Date(localDay).toISOString().slice(0, 10);
  if (calendar.holidays.includes(date)) return [];
  const weekday = WEEKDAYS[(new Date(localDay).getUTCDay() + 6) % 7]!;
  return calendar.hours
    .filter((h) => h.days.includes(weekday))
    .map((h): [number, number] => [
      zonedToUtc(localDay + minutesOf(h.from) * 60_000, calendar.time_zone),
      zonedToUtc(localDay + minutesOf(h.to) * 60_000, calendar.time_zone),
    ])
    .sort((a, b) => a[0] - b[0]);
}

/** Walks the open intervals from the local day containing `from`, one day after another. */
function* intervalsFrom(from: number, calendar: BusinessCalendar): Generator<[number, number]> {
  const local = localAsUtc(from, calendar.time_zone);
  let day = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  for (let i = 0; i < MAX_DAYS; i += 1, day += DAY_MS) {
    for (const [a, b] of openIntervals(day, calendar)) if (b > from) yield [Math.max(a, from), b];
  }
}

/** The instant `ms` of business time after `from` (null calendar: plain time). */
export function addBusinessMs(from: Date, ms: number, calendar: BusinessCalendar | null): Date {
  if (!calendar || ms <= 0) return new Date(from.getTime() + ms);
  let left = ms;
  for (const [a, b] of intervalsFrom(from.getTime(), calendar)) {
    if (b - a >= left) return new Date(a + left);
    left -= b - a;
  }
  throw new Error("Business calendar never opens");
}

/** Business time between `from` and `to` (0 when to ≤ from; null calendar: plain time). */
export function businessMsBetween(from: Date, to: Date, calendar: BusinessCalendar | null): number {
  const a0 = from.getTime();
  const b0 = to.getTime();
  if (b0 <= a0) return 0;
  if (!calendar) return b0 - a0;
  let total = 0;
  for (const [a, b] of intervalsFrom(a0, calendar)) {
    if (a >= b0) break;
    total += Math.min(b, b0) - a;
  }
  return total;
}
