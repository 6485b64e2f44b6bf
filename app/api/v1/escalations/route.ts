import { listEscalations } from "@/lib/api/routes/escalations";
import { listEscalations as list } from "@/server/engine/escalation/presenter";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listEscalations, async ({ app, principal, query }) =>
  list(app.engine.prisma, query, principal?.actor?.id, app.engine.clock.now()),
);
