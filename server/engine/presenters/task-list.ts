import type { TaskListQuery } from "@/lib/schemas/task-query";
import type { PrismaClient } from "../../db/client";
import type { Prisma } from "../../db/generated/client";

export interface TaskPage {
  ids: string[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;

/**
 * Task ids matching the filters, newest first. `ids` names the tasks wanted (a page then holds
 * them all unless `limit` says fewer). Ids sort in creation order
 * (TASK-YYYY-NNNNNN), so the cursor is simply the last id seen: stable under inserts.
 */
export async function listTaskIds(prisma: PrismaClient, query: TaskListQuery): Promise<TaskPage> {
  const limit = query.limit ?? query.ids?.length ?? DEFAULT_LIMIT;
  const where: Prisma.TaskWhereInput = {
    ...(query.ids && { id: { in: query.ids } }),
    ...(query.state && { state: { in: query.state } }),
    ...(query.queue && { queueName: { in: query.queue } }),
    ...(query.skill && { skillTarget: query.skill }),
    ...(query.client && { clientName: { equals: query.client, mode: "insensitive" } }),
    ...(query.assignee && { assignedTo: query.assignee }),
    ...(query.intake_id && { intakeId: query.intake_id }),
    ...(query.include_archived !== "true" && { archivedAt: null }),
    ...(query.cursor && { AND: [{ id: { lt: query.cursor } }] }),
    ...(query.q && {
      OR: [
        { id: query.q.toUpperCase() },
        { title: { contains: query.q, mode: "insensitive" } },
        { description: { contains: query.q, mode: "insensitive" } },
        // A client's request is found by its intake id, its client and its project too.
        { intakeId: { equals: query.q, mode: "insensitive" } },
        { clientName: { contains: query.q, mode: "insensitive" } },
        { projectType: { contains: query.q, mode: "insensitive" } },
      ],
    }),
  };
  const rows = await prisma.task.findMany({
    where,
    select: { id: true },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map((r) => r.id);
  return { ids: page, nextCursor: rows.length > limit ? (page.at(-1) ?? null) : null };
}
