import { createWebhook, listWebhooks } from "@/lib/api/routes/webhooks";
import { createWebhook as create, listWebhooks as list } from "@/server/engine/integrations/webhooks-out";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listWebhooks, async ({ app }) => ({ webhooks: await list(app.engine) }));

export const POST = handle(createWebhook, async ({ app, principal, body }) =>
  create(app.engine, body, requireActor(principal)),
);
