import type { PrismaClient } from "../../db/client";
import type { EngineContext } from "../context";

// rollups: what the metrics and reports read instead of the raw tasks and history (docs/scale.md,
// "Metrics and reports"). Table task_rollups_hourly (migration 20261202011350_metrics_rollups)
// holds counters per grain (q queue, s skill, c client by UTC day; h the cycle-time histogram by
// queue), key and UTC hour, equal to the sum of every task's contribution (task_rollup_parts),
// as append-only delta rows; compactRollups folds them, so a 90-day window reads a few thousand
// rows. A history row only notes its task as pending (the hot path stays cheap); catchUpRollups
// resyncs the pending tasks, and every reader calls it first, so what it reads is exact.

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
 * left (or `maxRounds`). Returns the keys folded. Safe beside writers and another compaction
 * (task_rollups_compact sums exactly the rows it deleted).
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
