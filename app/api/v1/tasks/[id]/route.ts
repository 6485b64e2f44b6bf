import { getTask, updateTask } from "@/lib/api/routes/tasks";
import { notFound } from "@/server/engine/errors";
import { loadSeedTask } from "@/server/engine/format/seed-format";
import { loadTaskOutlook } from "@/server/engine/sla/task-outlook";
import { updateTask as update } from "@/server/engine/state/update-task";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const GET = handle(getTask, async ({ app, params }) => {
  const task = await loadSeedTask(app.engine.prisma, params.id);
  if (!task) throw notFound("Task", params.id);
  const outlook = await loadTaskOutlook(app.engine.prisma, app.engine.clock.now(), {
    id: task.id,
    queue: task.queue.name,
  });
  return { task, ...outlook };
});

export const PATCH = handle(updateTask, async ({ app, params, principal, body }) =>
  taskResponse(app.engine, await update(app.engine, params.id, body, requireActor(principal))),
);
