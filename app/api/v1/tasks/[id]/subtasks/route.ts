import { createSubtask, listSubtasks } from "@/lib/api/routes/tasks";
import { notFound } from "@/server/engine/errors";
import { createTask } from "@/server/engine/queue/create-task";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse, tasksResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const GET = handle(listSubtasks, async ({ app, params }) => {
  const parent = await app.engine.prisma.task.findUnique({
    where: { id: params.id },
    select: { subtasks: { select: { id: true }, orderBy: { id: "asc" } } },
  });
  if (!parent) throw notFound("Task", params.id);
  return tasksResponse(app.engine, parent.subtasks);
});

export const POST = handle(createSubtask, async ({ app, params, principal, body }) => {
  const input = { ...body, dependencies: { ...body.dependencies, parent_task: params.id } };
  return taskResponse(app.engine, await createTask(app.engine, input, requireActor(principal)));
});
