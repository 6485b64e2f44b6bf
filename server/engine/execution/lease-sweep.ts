import { type EngineContext, SYSTEM_ACTOR } from "../context";
import { inTransaction } from "../state/transaction";
import { type FailureOptions, handleFailure } from "./error-handler";
import { LEASE_EXPIRED_ERROR, leaseIsLive, loadLocked } from "./leases";

// Lease expiry sweep: a task IN_PROGRESS whose executor stopped heartbeating (lease ran out)
// → FAILED "lease expired: executor died" → retry per policy (error-handler.ts).
//
// It runs once across all server processes: the sweep's transaction first takes a
// transaction-scoped advisory lock with pg_try_advisory_xact_lock; a process that does not get
// it skips this round (another one is sweeping). Rows are picked FOR UPDATE SKIP LOCKED, so a
// task whose executor is heartbeating right now is left for the next round.

/** Advisory lock key of the lease sweep (any constant unique to this sweep). */
export const LEASE_SWEEP_LOCK_KEY = 7_261_001;

export interface SweepResult {
  /** False when another process held the sweep lock: nothing was done. */
  ran: boolean;
  expired: string[];
}

export function sweepExpiredLeases(
  ctx: EngineContext,
  options: FailureOptions & { limit?: number } = {},
): Promise<SweepResult> {
  return inTransaction(ctx, async (tx, at) => {
    const [lock] = await tx.$queryRaw<
      { ok: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(${LEASE_SWEEP_LOCK_KEY}::bigint) AS ok`;
    if (!lock?.ok) return { ran: false, expired: [] };
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM tasks
      WHERE state = 'IN_PROGRESS' AND lease_expires_at IS NOT NULL AND lease_expires_at <= ${at}
      ORDER BY lease_expires_at, id LIMIT ${options.limit ?? 200} FOR UPDATE SKIP LOCKED`;
    const expired: string[] = [];
    for (const { id } of rows) {
      const task = await loadLocked(tx, id);
      if (task.state !== "IN_PROGRESS" || leaseIsLive(task, at) || task.leaseExpiresAt === null) continue;
      await handleFailure(
        tx,
        at,
        task,
        { error: LEASE_EXPIRED_ERROR, recoverable: true },
        SYSTEM_ACTOR,
        options,
      );
      expired.push(id);
    }
    return { ran: true, expired };
  });
}
