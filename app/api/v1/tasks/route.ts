import { createTask, listTasks } from "@/lib/api/routes/tasks";
import { loadSeedTasks } from "@/server/engine/format/seed-format";
import { listTaskIds } from "@/server/engine/presenters/task-list";
import { createTaskAnswer } from "@/server/engine/queue/create-task";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listTasks, async ({ app, query }) => {
  const page = await listTaskIds(app.engine.prisma, query);
  return { tasks: await loadSeedTasks(app.engine.prisma, page.ids), next_cursor: page.nextCursor };
});

export const POST = handle(createTask, async ({ app, principal, body }) => ({
  task: await createTaskAnswer(app.engine, body, requireActor(principal)),
}));
