import { createSource, listSources } from "@/lib/api/routes/webhooks";
import { createSource as create, listSources as list } from "@/server/engine/integrations/inbound";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listSources, async ({ app }) => ({ sources: await list(app.engine) }));

export const POST = handle(createSource, async ({ app, principal, body }) =>
  create(app.engine, body, requireActor(principal)),
);
