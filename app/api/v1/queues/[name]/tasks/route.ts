import { queueTasks } from "@/lib/api/routes/queues";
import { queueWaitingList } from "@/server/engine/queue/stats";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(queueTasks, async ({ app, params, query }) => ({
  tasks: (await queueWaitingList(app.engine.prisma, params.name, query)).map((t) => ({
    id: t.id,
    title: t.title,
    position: t.position,
    priority_score: t.priorityScore,
    entered_at: t.enteredAt,
    sla_deadline: t.slaDeadline,
    blockers_done: t.blockersDone,
    version: t.version,
  })),
}));
