import { getSlaPolicy, putSlaPolicy } from "@/lib/api/routes/queues";
import { getSlaPolicy as get, putSlaPolicy as put } from "@/server/engine/sla/sla-policy";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(getSlaPolicy, async ({ app, params }) => get(app.engine.prisma, params.name));

export const PUT = handle(putSlaPolicy, async ({ app, params, principal, body }) =>
  put(app.engine, params.name, body, requireActor(principal)),
);
