import { bulkActOnEscalations } from "@/lib/api/routes/escalations";
import { bulkActOnEscalations as bulk } from "@/server/engine/escalation/bulk";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(bulkActOnEscalations, async ({ app, principal, body }) => ({
  results: await bulk(app.engine, body.ids, body.action, requireActor(principal)),
}));
