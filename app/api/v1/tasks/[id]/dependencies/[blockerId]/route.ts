import { removeDependency } from "@/lib/api/routes/tasks";
import { removeDependency as remove } from "@/server/engine/state/dependencies";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const DELETE = handle(removeDependency, async ({ app, params, principal }) =>
  taskResponse(app.engine, await remove(app.engine, params.id, params.blockerId, requireActor(principal))),
);
