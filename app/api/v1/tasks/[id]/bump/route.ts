import { bumpTask } from "@/lib/api/routes/tasks";
import { bumpTask as bump } from "@/server/engine/queue/priority-adjuster";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(bumpTask, async ({ app, params, principal, body }) =>
  taskResponse(
    app.engine,
    await bump(app.engine, params.id, requireActor(principal), { expectedVersion: body.expected_version }),
  ),
);
