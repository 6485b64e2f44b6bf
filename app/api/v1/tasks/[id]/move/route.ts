import { moveTask } from "@/lib/api/routes/tasks";
import { moveTask as move } from "@/server/engine/queue/queue-manager";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(moveTask, async ({ app, params, principal, body }) =>
  taskResponse(
    app.engine,
    await move(app.engine, params.id, requireActor(principal), {
      queue: body.queue,
      expectedVersion: body.expected_version,
      scheduledFor: body.scheduled_for,
      reason: body.reason,
    }),
  ),
);
