import { actOnEscalation } from "@/lib/api/routes/escalations";
import { actOnEscalation as act } from "@/server/engine/escalation/inbox";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(actOnEscalation, async ({ app, params, principal, body }) =>
  act(app.engine, params.id, body, requireActor(principal)),
);
