import { listEscalationPolicies, putEscalationPolicies } from "@/lib/api/routes/escalations";
import {
  listEscalationPolicies as list,
  putEscalationPolicies as put,
} from "@/server/engine/escalation/levels";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listEscalationPolicies, async ({ app }) => ({
  policies: await list(app.engine.prisma),
}));

export const PUT = handle(putEscalationPolicies, async ({ app, principal, body }) => ({
  policies: await put(app.engine, body.policies, requireActor(principal)),
}));
