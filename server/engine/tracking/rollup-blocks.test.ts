import { describe, expect, it } from "vitest";
import { setupEngine } from "../state/test-support";
import { collectMetrics } from "./metrics-collector";
import { generateReport } from "./report-generator";
import { MAX_BLOCK_LEVEL, type RollupCover, rollupCover, rollupCoverSince } from "./rollups";

// The coarse rollup rows (task_rollup_blocks) as the readers take them: for the whole UTC days
// of a window the day or block rows and the hourly deltas not folded yet, the hourly rows only in
// the partial days at its edges; each counter once. Rows are written by hand here, so a reader
// that ignored the blocks, or read a day twice (its hours and its block, or two block sizes),
// gives a different sum.

const h = setupEngine();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

async function hourly(grain: string, key: string, hour: string, completed: number, compacted: boolean) {
  await h.ctx.prisma.$executeRawUnsafe(
    `INSERT INTO task_rollups_hourly (grain, key, hour, compacted, completed) VALUES ($1, $2, $3::timestamptz, $4, $5)`,
    grain,
    key,
    hour,
    compacted,
    completed,
  );
}

async function block(grain: string, key: string, level: number, start: Date, completed: number) {
  await h.ctx.prisma.$executeRawUnsafe(
    `INSERT INTO task_rollup_blocks (grain, key, level, start, completed) VALUES ($1, $2, $3, $4::timestamptz, $5)
     ON CONFLICT (grain, level, start, key, cycle_bucket) DO UPDATE SET completed = task_rollup_blocks.completed + EXCLUDED.completed`,
    grain,
    key,
    level,
    start.toISOString(),
    completed,
  );
}

describe("readers of the coarse rollup rows", () => {
  it("take whole days from the day and block rows, hours only at the edges, each counter once", async () => {
    await h.ctx.prisma.$executeRawUnsafe("TRUNCATE tasks, task_state_history CASCADE");
    h.clock.set(at("2026-03-20T12:00:00Z"));
    const window = { from: at("2026-03-03T10:00:00Z"), to: at("2026-03-17T15:00:00Z") };

    // Grain q. Per-day readers (metrics, its series, the week report) take level-0 day rows;
    // whole-window readers (the queue report) the cover's blocks: 4 days from the 4th, 8 from
    // the 8th, the 16th alone (rollupCover), hours at the edges either way.
    const cover = rollupCover(window.from, window.to, "blocks");
    expect(cover.blocks.map((b) => [b.level, b.start.toISOString().slice(0, 10)])).toEqual([
      [2, "2026-03-04"],
      [3, "2026-03-08"],
      [0, "2026-03-16"],
    ]);
    await hourly("q", "normal", "2026-03-03T11:00:00Z", 1, true); // edge hour: read by both
    await hourly("q", "normal", "2026-03-08T12:00:00Z", 10, true); // folded, inside a whole day: its blocks hold it
    await block("q", "normal", 0, at("2026-03-08T00:00:00Z"), 100); // the day row: per-day readers
    await hourly("q", "normal", "2026-03-09T05:00:00Z", 1_000, false); // not folded yet: read by both
    await block("q", "normal", 1, at("2026-03-08T00:00:00Z"), 10_000); // a 2-day block no cover here takes
    await block("q", "normal", 3, at("2026-03-08T00:00:00Z"), 20_000); // the 8-day block: whole-window readers
    await hourly("q", "normal", "2026-03-17T16:00:00Z", 100_000, true); // after the window: not in it
    const metrics = await collectMetrics(h.ctx, window);
    expect(metrics.overall.throughput.completed).toBe(1 + 100 + 1_000);
    expect(metrics.series.find((p) => p.start === "2026-03-08T00:00:00.000Z")?.completed).toBe(100);
    expect(metrics.series.find((p) => p.start === "2026-03-09T00:00:00.000Z")?.completed).toBe(1_000);
    const weeks = await generateReport(h.ctx, { ...window, groupBy: "week" });
    expect(weeks.rows.map((r) => [r.group, r.completed])).toEqual([
      ["2026-03-02", 101], // Monday 2nd – Sunday 8th
      ["2026-03-09", 1_000],
      ["2026-03-16", 0],
    ]);
    const queues = await generateReport(h.ctx, { ...window, groupBy: "queue" });
    expect(queues.rows.find((r) => r.group === "normal")?.completed).toBe(1 + 1_000 + 20_000);

    // Grain c (the client report, day-resolved: [3rd, 18th)): the biggest block of its cover.
    const big = rollupCover(at("2026-03-03"), at("2026-03-18"), "blocks").blocks.reduce((x, y) =>
      y.level > x.level ? y : x,
    );
    expect([big.level, big.start.toISOString().slice(0, 10)]).toEqual([3, "2026-03-08"]);
    await block("c", "Acme", big.level, big.start, 100); // the block: read
    await block("c", "Acme", 0, big.start, 10); // a day inside it: counted by the block already
    await hourly("c", "Acme", big.start.toISOString(), 1, true); // its folded hour row: idem
    await hourly("c", "Acme", big.start.toISOString(), 1_000, false); // not folded yet: read
    const clients = await generateReport(h.ctx, { ...window, groupBy: "client" });
    expect(clients.rows.find((r) => r.group === "Acme")?.completed).toBe(1_100);
  });
});

/** The days [first, end) a cover's blocks hold, each with the number of blocks holding it. */
function blockDays(cover: RollupCover): Map<number, number> {
  const days = new Map<number, number>();
  for (const b of cover.blocks) {
    if (b.start.getTime() % (DAY * 2 ** b.level) !== 0)
      throw new Error(`block ${b.start.toISOString()} misaligned`);
    for (let d = 0; d < 2 ** b.level; d++) {
      const day = b.start.getTime() / DAY + d;
      days.set(day, (days.get(day) ?? 0) + 1);
    }
  }
  return days;
}

describe("rollupCover", () => {
  it("tiles every window: hours in the partial edge days, each whole day in one block, at most two per size", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 300; i++) {
      const from = Date.UTC(2026, 0, 1) + Math.floor(next() * 400 * 24) * HOUR;
      const to = from + Math.floor(next() * 367 * 24) * HOUR + (i % 3 === 0 ? 1_234 : 0);
      for (const tiling of ["days", "blocks"] as const) {
        const cover = rollupCover(new Date(from), new Date(to), tiling);
        const days = blockDays(cover);
        // every hour of [from, to) is in exactly one part: an edge range or a whole day
        let covered = 0;
        for (const [f, t] of cover.hours) {
          expect(t).not.toBeNull();
          const [a, b] = [f.getTime(), (t as Date).getTime()];
          expect(a).toBeGreaterThanOrEqual(from);
          expect(b).toBeLessThanOrEqual(to);
          expect(Math.floor(a / DAY) === Math.floor((b - 1) / DAY) || b - a < 2 * DAY).toBe(true);
          expect([...days.keys()].every((day) => b <= day * DAY || a >= (day + 1) * DAY)).toBe(true);
          covered += b - a;
        }
        expect([...days.values()].every((n) => n === 1)).toBe(true);
        covered += days.size * DAY;
        expect(covered).toBe(Math.max(0, to - from));
        const whole = [...days.keys()];
        if (whole.length > 0) {
          expect(cover.deltas).toEqual([
            [new Date(Math.min(...whole) * DAY), new Date((Math.max(...whole) + 1) * DAY)],
          ]);
        }
        if (tiling === "days") expect(cover.blocks.every((b) => b.level === 0)).toBe(true);
        else {
          for (let level = 0; level < MAX_BLOCK_LEVEL; level++) {
            expect(cover.blocks.filter((b) => b.level === level).length).toBeLessThanOrEqual(2);
          }
        }
      }
    }
  });

  it("from a window's end on: blocks up to today, then every hourly row with no end", () => {
    const now = at("2026-03-20T12:34:00Z");
    const since = rollupCoverSince(at("2026-03-10T15:00:00Z"), now);
    expect(since.hours).toEqual([
      [at("2026-03-10T15:00:00Z"), at("2026-03-11T00:00:00Z")],
      [at("2026-03-20T00:00:00Z"), null],
    ]);
    expect(blockDays(since).size).toBe(9);
    expect(rollupCoverSince(now, now).hours).toEqual([[now, null]]);
  });
});
