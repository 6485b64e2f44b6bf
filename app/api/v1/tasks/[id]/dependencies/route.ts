import { addDependency } from "@/lib/api/routes/tasks";
import { addDependency as add } from "@/server/engine/state/dependencies";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(addDependency, async ({ app, params, principal, body }) =>
  taskResponse(app.engine, await add(app.engine, params.id, body.blocker_id, requireActor(principal))),
);
