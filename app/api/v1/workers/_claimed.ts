import type { PrismaClient } from "@/server/db/generated/client";
import type { ClaimResult } from "@/server/engine/execution/worker-protocol";
import { loadSeedTasks } from "@/server/engine/format/seed-format";

/** Claimed tasks as the worker API answers them: the lease, and each task in the seed format. */
export async function claimedAnswer(prisma: PrismaClient, claimed: ClaimResult) {
  return {
    lease: { expires_at: claimed.leaseExpiresAt.toISOString(), duration_seconds: claimed.leaseMs / 1_000 },
    tasks: await loadSeedTasks(
      prisma,
      claimed.tasks.map((t) => t.id),
    ),
  };
}

/** The body's lease_seconds as the engine's lease (undefined: the default lease). */
export function leaseMsOf(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1_000;
}
