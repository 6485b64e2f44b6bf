import type { TaskListQuery } from "@/lib/schemas/task-query";
import type { PrismaClient } from "../../db/client";
import { containsPattern, taskMatchesSql } from "./task-search";

export interface TaskPage {
  ids: string[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;

/**
 * Task ids matching the filters, newest first. `ids` names the tasks wanted (a page then holds
 * them all unless `limit` says fewer). Ids sort in creation order (TASK-YYYY-NNNNNN), so the
 * cursor is simply the last id seen: stable under inserts, and a keyset (`id < cursor`) that the
 * unarchived-id partial index answers at any depth. `q` is a case-insensitive substring of the
 * id, title, client, project type, intake id or the start of the description (a client's request), through the trigram index (task-search.ts).
 */
export async function listTaskIds(prisma: PrismaClient, query: TaskListQuery): Promise<TaskPage> {
  const limit = query.limit ?? query.ids?.length ?? DEFAULT_LIMIT;
  const params: unknown[] = [];
  const param = (value: unknown, cast = "") => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const where: string[] = [];
  if (query.ids) where.push(`t.id = ANY(${param(query.ids, "::text[]")})`);
  if (query.state) where.push(`t.state::text = ANY(${param(query.state, "::text[]")})`);
  if (query.queue) where.push(`t.queue_name = ANY(${param(query.queue, "::text[]")})`);
  if (query.skill) where.push(`t.skill_target = ${param(query.skill)}`);
  if (query.client) where.push(`lower(t.client_name) = lower(${param(query.client)})`);
  if (query.assignee) where.push(`t.assigned_to = ${param(query.assignee)}`);
  if (query.intake_id) where.push(`t.intake_id = ${param(query.intake_id)}`);
  if (query.include_archived !== "true") where.push("t.archived_at IS NULL");
  if (query.cursor) where.push(`t.id < ${param(query.cursor)}`);
  if (query.q) where.push(taskMatchesSql("t", param(containsPattern(query.q))));
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT t.id FROM tasks t ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY t.id DESC LIMIT ${param(limit + 1, "::int")}`,
    ...params,
  );
  const page = rows.slice(0, limit).map((r) => r.id);
  return { ids: page, nextCursor: rows.length > limit ? (page.at(-1) ?? null) : null };
}
