import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, type AuditEntryView, type AuditPage } from "@/lib/metrics";
import type { TaskStateName } from "@/lib/states";
import type { Prisma } from "../../db/generated/client";
import type { EngineContext } from "../context";
import { validationError } from "../errors";

// audit-query: the audit log (written by audit-logger in every change's transaction), filtered by
// task, actor, action and time range [from, to), newest first, with keyset pagination on the id.

export interface AuditFilter {
  taskId?: string;
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** The `nextCursor` of the previous page: entries with a smaller id come next. */
  cursor?: string | bigint;
  /** 1..200, default 50. */
  limit?: number;
}

const auditSelect = {
  id: true,
  at: true,
  actor: true,
  action: true,
  taskId: true,
  fromState: true,
  toState: true,
  reason: true,
  details: true,
} satisfies Prisma.AuditLogSelect;

type AuditRow = Prisma.AuditLogGetPayload<{ select: typeof auditSelect }>;

function toView(row: AuditRow): AuditEntryView {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    taskId: row.taskId,
    fromState: row.fromState as TaskStateName | null,
    toState: row.toState as TaskStateName | null,
    reason: row.reason,
    details: row.details,
  };
}

function parseCursor(cursor: string | bigint | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor === "bigint") return cursor;
  if (!/^[1-9]\d{0,18}$/.test(cursor)) throw validationError([{ path: "cursor", message: "Not a cursor" }]);
  return BigInt(cursor);
}

/** One page of the audit log, newest first. Stable under concurrent writes: new entries get larger ids. */
export async function queryAudit(
  ctx: Pick<EngineContext, "prisma">,
  filter: AuditFilter = {},
): Promise<AuditPage> {
  const limit = filter.limit ?? AUDIT_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
    throw validationError([{ path: "limit", message: `Between 1 and ${AUDIT_PAGE_MAX}` }]);
  }
  const cursor = parseCursor(filter.cursor);
  const at: Prisma.DateTimeFilter = {};
  if (filter.from) at.gte = filter.from;
  if (filter.to) at.lt = filter.to;

  const rows = await ctx.prisma.auditLog.findMany({
    where: {
      ...(filter.taskId !== undefined && { taskId: filter.taskId }),
      ...(filter.actor !== undefined && { actor: filter.actor }),
      ...(filter.action !== undefined && { action: filter.action }),
      ...((filter.from || filter.to) && { at }),
      ...(cursor !== undefined && { id: { lt: cursor } }),
    },
    select: auditSelect,
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(toView),
    nextCursor: rows.length > limit && last ? last.id.toString() : null,
  };
}
