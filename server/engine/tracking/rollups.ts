import type { PrismaClient } from "../../db/client";
import type { EngineContext } from "../context";

// rollups: what the metrics and reports read instead of the raw tasks and history (docs/scale.md,
// "Metrics and reports"). Table task_rollups_hourly (migration 20261202011350_metrics_rollups)
// holds counters per grain (q queue, s skill, c client by UTC day; h the cycle-time histogram by
// queue), key and UTC hour, equal to the sum of every task's contribution (task_rollup_parts),
// as append-only delta rows; compactRollups folds them. Table task_rollup_blocks (migration
// 20261202150000_rollup_blocks) holds the same counters per whole UTC day and per block of 2^L
// days, each the sum of the folded hourly rows inside it (the compaction adds what it folds), so
// a 90-day window reads a few hundred rows per key set (rollupCover, rollupRowsSql). A history
// row only notes its task as pending (the hot path stays cheap); catchUpRollups resyncs the
// pending tasks, and every reader calls it first, so what it reads is exact.

const HOUR_MS = 3_600_000;

const DAY_MS = 86_400_000;
const floorTo = (d: Date, step: number) => new Date(Math.floor(d.getTime() / step) * step);
const ceilTo = (d: Date, step: number) => new Date(Math.ceil(d.getTime() / step) * step);

/**
 * The window the rollups answer exactly: hour-resolved (day-resolved for the client grain, kept
 * by UTC day). `from` goes down to its hour (day); `to` up to its hour (day), unless it is at or
 * after now (nothing has happened after now, so the period holding now holds only what happened
 * before it).
 */
export function rollupWindow(
  from: Date,
  to: Date,
  now: Date,
  resolution: "hour" | "day" = "hour",
): { from: Date; to: Date } {
  const step = resolution === "day" ? DAY_MS : HOUR_MS;
  return { from: floorTo(from, step), to: to.getTime() >= now.getTime() ? to : ceilTo(to, step) };
}

/** Blocks are 2^0 .. 2^MAX_BLOCK_LEVEL UTC days (task_rollup_block, aligned on 1970-01-01). */
export const MAX_BLOCK_LEVEL = 8;

/** What a read takes from the rollups to count [from, to) once. */
export interface RollupCover {
  /** Ranges read from every hourly row (folded or not): the partial days at the edges; null: no end. */
  hours: [Date, Date | null][];
  /** Ranges of whole days taken from blocks: their hourly deltas not folded yet are read too. */
  deltas: [Date, Date][];
  /** The blocks (level, start) tiling the whole days, each day in exactly one. */
  blocks: { level: number; start: Date }[];
}

const dayNumber = (d: Date) => Math.floor(d.getTime() / DAY_MS);
const dayStart = (n: number) => new Date(n * DAY_MS);

/**
 * How to read [from, to) from the rollups, each counter once: the hourly rows of the partial
 * days at its two edges, and for the whole UTC days between them either one level-0 block per
 * day (`days`: readers that bucket by day or ISO week, which are unions of UTC days) or the
 * fewest aligned blocks (`blocks`: readers that sum the whole window), at most two per level,
 * plus those days' hourly deltas the compaction has not folded into the blocks yet. Days are UTC
 * days: every bucket of the metrics and reports is a UTC day, an ISO week of UTC days or the
 * whole window; a reader bucketing by another time zone's days would need hours at the edges of
 * each of its days (or blocks on its own boundaries).
 */
export function rollupCover(from: Date, to: Date, tiling: "days" | "blocks"): RollupCover {
  const cover: RollupCover = { hours: [], deltas: [], blocks: [] };
  if (to.getTime() <= from.getTime()) return cover;
  const first = Math.ceil(from.getTime() / DAY_MS);
  const end = dayNumber(to); // whole days: [first, end)
  if (first >= end) {
    cover.hours.push([from, to]);
    return cover;
  }
  if (from.getTime() < dayStart(first).getTime()) cover.hours.push([from, dayStart(first)]);
  if (dayStart(end).getTime() < to.getTime()) cover.hours.push([dayStart(end), to]);
  cover.deltas.push([dayStart(first), dayStart(end)]);
  for (let day = first; day < end; ) {
    let level = 0;
    if (tiling === "blocks") {
      // the largest block starting on this day (aligned) that ends by `end`
      while (level < MAX_BLOCK_LEVEL && day % 2 ** (level + 1) === 0 && day + 2 ** (level + 1) <= end)
        level++;
    }
    cover.blocks.push({ level, start: dayStart(day) });
    day += 2 ** level;
  }
  return cover;
}

/**
 * [from, ∞) as a cover: `from` to the start of now's UTC day from blocks, and from there on every
 * hourly row (today's, and any beyond now). The report's walk back from the live counts reads it.
 */
export function rollupCoverSince(from: Date, now: Date): RollupCover {
  const today = dayStart(dayNumber(now));
  const tail = new Date(Math.max(from.getTime(), today.getTime()));
  const cover = rollupCover(from, today, "blocks");
  cover.hours.push([tail, null]);
  return cover;
}

/** Edge ranges and delta ranges a read takes at most (a window's cover and the one after it). */
const HOUR_SLOTS = 4;
const DELTA_SLOTS = 2;
/** How many parameters rollupRowsSql reads. */
export const ROLLUP_COVER_PARAMS = 2 * HOUR_SLOTS + 2 * DELTA_SLOTS + 2;

/**
 * The parameters rollupRowsSql reads, in its order: each range in a slot of its own (unused
 * slots empty), so that each is planned as its own index range (an array of ranges joined to
 * the table was planned as a scan of the whole grain); then the blocks as two arrays.
 */
export function rollupCoverParams(...covers: RollupCover[]): unknown[] {
  const iso = (d: Date) => d.toISOString();
  const slots = (ranges: [Date, Date | null][], n: number): string[] => {
    if (ranges.length > n) throw new Error(`a rollup read takes at most ${n} ranges, not ${ranges.length}`);
    const empty = Array.from({ length: n - ranges.length }, (): [Date, Date] => [new Date(0), new Date(0)]);
    return [...ranges, ...empty].flatMap(([f, t]) => [iso(f), t ? iso(t) : "infinity"]);
  };
  const blocks = covers.flatMap((c) => c.blocks);
  return [
    ...slots(
      covers.flatMap((c) => c.hours),
      HOUR_SLOTS,
    ),
    ...slots(
      covers.flatMap((c) => c.deltas),
      DELTA_SLOTS,
    ),
    blocks.map((b) => b.level),
    blocks.map((b) => iso(b.start)),
  ];
}

/** The counters every rollup row has (task_rollup_parts). */
export const ROLLUP_COUNTERS = [
  "started",
  "queue_ms",
  "completed",
  "cycle_ms",
  "sla_total",
  "sla_met",
  "active",
  "failed",
  "retried",
  "blocked",
  "failures",
  "n_created",
  "n_queued",
  "n_on_hold",
  "n_scheduled",
  "n_in_progress",
  "n_completed",
  "n_failed",
  "n_blocked",
  "n_unblocked",
  "n_cancelled",
] as const;

/**
 * SQL: the rollup rows of one grain that a cover (rollupCoverParams, as parameters $p on, for
 * ROLLUP_COVER_PARAMS) takes, as (key, at, cycle_bucket, counters…), `at` being the row's hour or
 * its block's first day: every hourly row in the edge ranges, the hourly rows not folded yet in
 * the whole days, and the blocks. The grain is written in, so each part is an index range:
 * (grain, hour) for an edge, the partial index of unfolded rows for the deltas, the blocks' key
 * for the blocks.
 */
export function rollupRowsSql(grain: "q" | "s" | "c" | "h", p: number): string {
  const cols = (alias: string) => ROLLUP_COUNTERS.map((c) => `${alias}.${c}`).join(", ");
  const range = (slot: number, unfolded: boolean) => `
  SELECT r.key, r.hour AS at, r.cycle_bucket, ${cols("r")}
  FROM task_rollups_hourly r
  WHERE r.grain = '${grain}'${unfolded ? " AND NOT r.compacted" : ""}
    AND r.hour >= $${slot}::timestamptz AND r.hour < $${slot + 1}::timestamptz`;
  const parts = [
    ...Array.from({ length: HOUR_SLOTS }, (_, i) => range(p + 2 * i, false)),
    ...Array.from({ length: DELTA_SLOTS }, (_, i) => range(p + 2 * HOUR_SLOTS + 2 * i, true)),
  ];
  const b = p + 2 * HOUR_SLOTS + 2 * DELTA_SLOTS;
  return `${parts.join("\n  UNION ALL")}
  UNION ALL
  SELECT k.key, k.start, k.cycle_bucket, ${cols("k")}
  FROM unnest($${b}::int[], $${b + 1}::timestamptz[]) AS b(level, start)
  JOIN task_rollup_blocks k ON k.grain = '${grain}' AND k.level = b.level AND k.start = b.start`;
}

/**
 * SQL: the SLA breaches the rollups cannot hold yet: live tasks never started whose deadline is
 * past (`now`) and in [w_from, w_to). A trigger sees changes, not time passing; these are live
 * rows (tasks_live_sla_deadline_idx), so they cost what the live work costs. Expects a `params`
 * CTE (`p`) with w_from, w_to, now; gives the task's columns as `t`.
 */
export const PENDING_BREACHES_FROM = `tasks t, params p
  WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL AND t.sla_deadline IS NOT NULL
    AND t.sla_deadline < p.now AND t.sla_deadline >= p.w_from AND t.sla_deadline < p.w_to
    AND NOT EXISTS (SELECT 1 FROM task_state_history h WHERE h.task_id = t.id AND h.state = 'IN_PROGRESS')`;

/**
 * A duration standing for every one in a histogram bucket (task_cycle_bucket: 0 below 1 s, then
 * 8 per doubling), in ms: the bucket's geometric middle (0.5 s for the first), within 4.4 % of
 * any duration of the bucket.
 */
const bucketValueMs = (bucket: number): number => (bucket <= 0 ? 500 : 1000 * 2 ** ((bucket - 0.5) / 8));

/**
 * A percentile (0..1) of the durations a histogram counts, in seconds, computed as
 * percentile_cont does (linear between the values at ranks ⌊q(n−1)⌋ and ⌈q(n−1)⌉), each value
 * being its bucket's middle: within 4.4 % of the exact percentile (0.5 s below 1 s). Null when
 * the histogram is empty.
 */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, q: number): number | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const valueAt = (rank: number): number => {
    let before = 0;
    for (const [bucket, n] of buckets) {
      if (rank < before + n) return bucketValueMs(bucket);
      before += n;
    }
    return bucketValueMs(buckets[buckets.length - 1]![0]);
  };
  const rank = q * (total - 1);
  const lo = valueAt(Math.floor(rank));
  const hi = valueAt(Math.ceil(rank));
  return (lo + (rank - Math.floor(rank)) * (hi - lo)) / 1000;
}

/**
 * Folds the rollups' delta rows into one row per key, `batch` keys a statement, until none is
 * left (or `maxRounds`), and adds what it folds to the day and block rows. Returns the keys
 * folded. Safe beside writers and another compaction (task_rollups_compact sums exactly the
 * rows it deleted).
 */
export async function compactRollups(
  ctx: Pick<EngineContext, "prisma">,
  options: { batch?: number; maxRounds?: number } = {},
): Promise<number> {
  const batch = options.batch ?? 5_000;
  let folded = 0;
  for (let round = 0; round < (options.maxRounds ?? 100); round++) {
    const [row] = await ctx.prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT task_rollups_compact($1::int) AS n",
      batch,
    );
    const n = row?.n ?? 0;
    folded += n;
    if (n < batch) break;
  }
  return folded;
}

/**
 * Brings the rollups of the pending tasks up to date (task_rollups_catch_up), in its own
 * transaction so that the reads after it see the result; returns the tasks resynced.
 */
export async function catchUpRollups(ctx: Pick<EngineContext, "prisma">): Promise<number> {
  const [row] = await ctx.prisma.$queryRawUnsafe<{ n: number }[]>("SELECT task_rollups_catch_up() AS n");
  return row?.n ?? 0;
}

/** Rebuilds the rollups from the raw rows (after a bulk load made with the triggers off). */
export async function rebuildRollups(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe("SELECT task_rollups_rebuild()");
}
