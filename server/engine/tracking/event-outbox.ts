import type { EngineContext, Tx } from "../context";
import { DELIVERY_CURSOR, DELIVERY_SWEEP_LOCK_KEY, parseGaps } from "../integrations/delivery-sweep";
import { inTransaction } from "../state/transaction";

// The events table is an outbox (docs/scale.md): each committed change writes a row and NOTIFYs
// it; sockets get the NOTIFY, the webhook delivery sweep reads the rows after its cursor. Once
// a row is both delivered and older than the reconnect window, nothing needs it, and the
// housekeeping deletes it, so the table holds days of changes, not years. A row is kept while:
// - the delivery sweep has not read it (id above its cursor, or in one of its gaps: ids that
//   were not committed yet when it passed), or before the sweep has ever run while
//   subscriptions exist (they start at their own since_event_id);
// - a delivery made from it is still pending (a push superseded later finds it by its event);
// - it is younger than EVENTS_RETENTION_HOURS (default 24 h): the reconnect window in which a
//   client that was offline may ask what changed since the last event id it saw.

export const DEFAULT_EVENTS_RETENTION_HOURS = 24;

export interface PruneEventsOptions {
  retentionHours?: number;
  /** Rows deleted per transaction. */
  batch?: number;
  /** Most rows deleted in one call (the rest wait for the next housekeeping). */
  limit?: number;
}

/** The highest event id the delivery sweep no longer needs (null: it may need any). */
async function deliveredUpTo(tx: Tx): Promise<bigint | null> {
  const cursor = await tx.webhookCursor.findUnique({ where: { name: DELIVERY_CURSOR } });
  if (!cursor) {
    const since = await tx.webhookSubscription.aggregate({ _min: { sinceEventId: true } });
    // No cursor and no subscription: the first sweep will skip ahead past every event.
    const [{ max } = { max: null }] = await tx.$queryRaw<{ max: bigint | null }[]>`
      SELECT max(id) AS max FROM events`;
    return since._min.sinceEventId ?? max;
  }
  let bound = cursor.scannedTo;
  for (const [from] of parseGaps(cursor.gaps)) {
    const below = BigInt(from) - 1n;
    if (below < bound) bound = below;
  }
  return bound;
}

/** Deletes the events nothing needs any more (see above); returns how many. */
export async function pruneDeliveredEvents(
  ctx: EngineContext,
  options: PruneEventsOptions = {},
): Promise<number> {
  const retentionMs = (options.retentionHours ?? DEFAULT_EVENTS_RETENTION_HOURS) * 3_600_000;
  const batch = options.batch ?? 5_000;
  const limit = options.limit ?? 200_000;
  let pruned = 0;
  while (pruned < limit) {
    const deleted = await inTransaction(ctx, async (tx, at) => {
      // The sweep's lock: its cursor does not move while the bound is read and used.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DELIVERY_SWEEP_LOCK_KEY}::bigint)`;
      const bound = await deliveredUpTo(tx);
      if (bound === null) return 0;
      const cutoff = new Date(at.getTime() - retentionMs);
      return tx.$executeRaw`
        DELETE FROM events WHERE id IN (
          SELECT e.id FROM events e
          WHERE e.id <= ${bound} AND e.at < ${cutoff}
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
          ORDER BY e.id
          LIMIT ${Math.min(batch, limit - pruned)})`;
    });
    pruned += deleted;
    if (deleted < batch) break;
  }
  return pruned;
}
