import { runSchedule } from "@/lib/api/routes/schedules";
import { loadSeedTasks } from "@/server/engine/format/seed-format";
import { runScheduleNow } from "@/server/engine/scheduling/schedules";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(runSchedule, async ({ app, params, principal }) => {
  const { schedule, taskIds } = await runScheduleNow(app.engine, params.id, requireActor(principal));
  return { schedule, tasks: await loadSeedTasks(app.engine.prisma, taskIds) };
});
