import type { PrismaClient } from "./client";

/**
 * How long an Idempotency-Key is remembered (intake's and the API's): far longer than any
 * client retries a request, short enough that the table does not grow for ever. Intake also
 * deduplicates by intake_id, which is kept with its tasks.
 */
export const IDEMPOTENCY_RETENTION_DAYS = 7;

/** Forgets keys older than the retention; returns how many. */
export async function pruneIdempotencyRecords(prisma: PrismaClient, now: Date): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_RETENTION_DAYS * 86_400_000);
  const { count } = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
