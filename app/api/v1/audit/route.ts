import { audit } from "@/lib/api/routes/tracking";
import { queryAudit } from "@/server/engine/tracking/audit-query";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** The audit log, newest first, filtered; pass `nextCursor` back as `cursor` for the next page. */
export const GET = handle(audit, ({ app, query: q }) =>
  queryAudit(app.engine, {
    taskId: q.task_id,
    actor: q.actor,
    action: q.action,
    from: q.from,
    to: q.to,
    cursor: q.cursor,
    limit: q.limit,
  }),
);
