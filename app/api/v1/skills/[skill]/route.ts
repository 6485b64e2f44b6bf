import { deleteExecutor, getExecutor, updateExecutor } from "@/lib/api/routes/skills";
import {
  getExecutor as get,
  deleteExecutor as remove,
  updateExecutor as update,
} from "@/server/engine/execution/skill-executors";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(getExecutor, async ({ app, params }) => ({
  executor: await get(app.engine, params.skill),
}));

export const PATCH = handle(updateExecutor, async ({ app, params, principal, body }) =>
  update(app.engine, params.skill, body, requireActor(principal)),
);

export const DELETE = handle(deleteExecutor, async ({ app, params, principal }) => {
  await remove(app.engine, params.skill, requireActor(principal));
  return { deleted: params.skill };
});
