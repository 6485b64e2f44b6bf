import { describe, expect, it } from "vitest";
import { checkCron, isValidTimeZone, nextOccurrence, occurrencesBetween, upcomingOccurrences } from "./cron";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const NOW = new Date("2026-03-02T09:00:00Z");

describe("cron with time zones", () => {
  it('keeps "0 9 * * 1-5" Europe/Paris at 09:00 local across the spring DST change', () => {
    // Summer time starts on Sunday 2026-03-29 in Europe: 09:00 Paris is 08:00Z before, 07:00Z after.
    expect(
      iso(upcomingOccurrences("0 9 * * 1-5", "Europe/Paris", new Date("2026-03-26T12:00:00Z"), 4)),
    ).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
      "2026-04-01T07:00:00.000Z",
    ]);
    // And back in the autumn (2026-10-25).
    expect(
      iso(upcomingOccurrences("0 9 * * 1-5", "Europe/Paris", new Date("2026-10-22T12:00:00Z"), 2)),
    ).toEqual(["2026-10-23T07:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
    expect(
      nextOccurrence("0 9 * * 1-5", "America/New_York", new Date("2026-03-06T15:00:00Z"))?.toISOString(),
    ).toBe("2026-03-09T13:00:00.000Z");
  });

  it("runs a time a DST change skips at the first valid time after it", () => {
    expect(
      iso(upcomingOccurrences("30 2 * * *", "Europe/Paris", new Date("2026-03-28T00:00:00Z"), 3)),
    ).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z", // 02:30 does not exist that night: 03:00 CEST
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("names the bad field: cron or timezone", () => {
    expect(checkCron("0 9 * * 1-5", "Europe/Paris", NOW)).toEqual([]);
    expect(checkCron("@daily", "UTC", NOW)).toEqual([]);
    expect(checkCron("0 9 * * MON-FRI", "Asia/Tokyo", NOW)).toEqual([]);
    expect(checkCron("0 9 * * 1-5", "Mars/Olympus_Mons", NOW).map((f) => f.path)).toEqual(["timezone"]);
    expect(checkCron("61 * * * *", "UTC", NOW)).toEqual([
      { path: "cron", message: expect.stringMatching(/minute/) },
    ]);
    expect(checkCron("* * * * * *", "UTC", NOW).map((f) => f.path)).toEqual(["cron"]); // seconds: no
    expect(checkCron("every day", "UTC", NOW).map((f) => f.path)).toEqual(["cron"]);
    expect(checkCron("0 0 31 2 *", "UTC", NOW)).toEqual([
      { path: "cron", message: "This expression never runs" },
    ]);
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Europe/Pariss")).toBe(false);
  });

  it("counts the occurrences in a window, from inclusive", () => {
    const span = occurrencesBetween(
      "0 9 * * 1-5",
      "Europe/Paris",
      new Date("2026-03-27T08:00:00Z"),
      new Date("2026-04-01T12:00:00Z"),
    );
    expect(span).toEqual({ count: 4, capped: false, latest: new Date("2026-04-01T07:00:00Z") });
    expect(
      occurrencesBetween(
        "0 9 * * *",
        "UTC",
        new Date("2026-03-01T10:00:00Z"),
        new Date("2026-03-02T08:00:00Z"),
      ),
    ).toEqual({
      count: 0,
      capped: false,
      latest: null,
    });
    const capped = occurrencesBetween(
      "* * * * *",
      "UTC",
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-03-01T00:00:00Z"),
      100,
    );
    expect(capped).toEqual({ count: 100, capped: true, latest: new Date("2026-03-01T00:00:00Z") });
  });
});
