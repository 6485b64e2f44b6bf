import { deleteSchedule, getSchedule, updateSchedule } from "@/lib/api/routes/schedules";
import {
  getSchedule as get,
  deleteSchedule as remove,
  updateSchedule as update,
} from "@/server/engine/scheduling/schedules";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(getSchedule, async ({ app, params }) => ({
  schedule: await get(app.engine, params.id),
}));

export const PATCH = handle(updateSchedule, async ({ app, params, principal, body }) => ({
  schedule: await update(app.engine, params.id, body, requireActor(principal)),
}));

export const DELETE = handle(deleteSchedule, async ({ app, params, principal }) => {
  await remove(app.engine, params.id, requireActor(principal));
  return { deleted: params.id };
});
