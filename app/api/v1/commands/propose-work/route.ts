import { proposeWorkRoute } from "@/lib/api/routes/commands";
import { proposeWork } from "@/server/engine/routing/work-request";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** A proposal only: the person confirms it by instantiating the template. */
export const POST = handle(proposeWorkRoute, async ({ app, body }) => ({
  proposal: proposeWork(body.text, app.engine.clock.now()),
}));
