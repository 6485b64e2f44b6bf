import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/api/routes/webhooks";
import {
  getWebhook as get,
  deleteWebhook as remove,
  updateWebhook as update,
} from "@/server/engine/integrations/webhooks-out";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(getWebhook, async ({ app, params }) => ({
  webhook: await get(app.engine, params.id),
}));

export const PATCH = handle(updateWebhook, async ({ app, params, principal, body }) =>
  update(app.engine, params.id, body, requireActor(principal)),
);

export const DELETE = handle(deleteWebhook, async ({ app, params, principal }) => {
  await remove(app.engine, params.id, requireActor(principal));
  return { deleted: params.id };
});
