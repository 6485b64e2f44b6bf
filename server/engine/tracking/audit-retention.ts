import type { EngineContext } from "../context";

// Audit and state history are kept for years by default: every read of them is by task
// (task_id, at / id) or by time (at), so their size does not weigh on today's queries
// (docs/scale.md). AUDIT_RETENTION_DAYS, when set, bounds the audit log: the daily housekeeping
// deletes entries older than that, oldest first, in batches. The state history is never pruned:
// metrics over any past window (up to 366 days) are computed from it.

export interface AuditRetentionOptions {
  /** Days of audit log kept; null keeps it all. */
  retentionDays: number | null;
  batch?: number;
  /** Most rows deleted in one call (the rest wait for the next housekeeping). */
  limit?: number;
}

/** Deletes audit entries older than the retention; returns how many. */
export async function pruneAuditLog(ctx: EngineContext, options: AuditRetentionOptions): Promise<number> {
  if (options.retentionDays === null) return 0;
  const cutoff = new Date(ctx.clock.now().getTime() - options.retentionDays * 86_400_000);
  const batch = options.batch ?? 5_000;
  const limit = options.limit ?? 200_000;
  let pruned = 0;
  while (pruned < limit) {
    const deleted = await ctx.prisma.$executeRaw`
      DELETE FROM audit_log WHERE id IN (
        SELECT id FROM audit_log WHERE at < ${cutoff} ORDER BY at LIMIT ${Math.min(batch, limit - pruned)})`;
    pruned += deleted;
    if (deleted < batch) break;
  }
  return pruned;
}
