import { deleteSource, getSource, updateSource } from "@/lib/api/routes/webhooks";
import {
  getSource as get,
  deleteSource as remove,
  updateSource as update,
} from "@/server/engine/integrations/inbound";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(getSource, async ({ app, params }) => ({
  source: await get(app.engine, params.name),
}));

export const PATCH = handle(updateSource, async ({ app, params, principal, body }) =>
  update(app.engine, params.name, body, requireActor(principal)),
);

export const DELETE = handle(deleteSource, async ({ app, params, principal }) => {
  await remove(app.engine, params.name, requireActor(principal));
  return { deleted: params.name };
});
