import { QUEUES } from "@/lib/queues";
import type { PrismaClient } from "./client";

/** Inserts the seed's queues where missing; never overrides an admin's edits. */
export async function ensureReferenceData(prisma: PrismaClient): Promise<void> {
  await prisma.queue.createMany({
    data: QUEUES.map((q, i) => ({
      name: q.name,
      slaMinutes: q.slaMinutes,
      capacity: q.capacity,
      description: q.description,
      sortOrder: i,
    })),
    skipDuplicates: true,
  });
}
