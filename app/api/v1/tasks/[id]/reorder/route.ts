import { reorderTask } from "@/lib/api/routes/tasks";
import { reorderTask as reorder } from "@/server/engine/queue/priority-adjuster";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(reorderTask, async ({ app, params, principal, body }) =>
  taskResponse(
    app.engine,
    await reorder(app.engine, params.id, requireActor(principal), {
      expectedVersion: body.expected_version,
      before: body.before,
      after: body.after,
    }),
  ),
);
