import { listQueues } from "@/lib/api/routes/queues";
import { breachForecasts } from "@/server/engine/forecast/queue-forecast";
import { queueStats } from "@/server/engine/queue/stats";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listQueues, async ({ app }) => {
  const stats = await queueStats(app.engine.prisma, app.engine.clock);
  const breaches = await app.engine.prisma.$transaction((tx) =>
    breachForecasts(
      tx,
      app.engine.clock.now(),
      stats.map((q) => q.queue),
    ),
  );
  return {
    queues: stats.map((q) => ({
      name: q.queue,
      description: q.description,
      sla_minutes: q.slaMinutes,
      capacity: q.capacity,
      waiting: q.waiting,
      scheduled: q.scheduled,
      in_progress: q.inProgress,
      on_hold: q.onHold,
      blocked: q.blocked,
      oldest_waiting_since: q.oldestWaitingSince,
      oldest_wait_minutes: q.oldestWaitMinutes,
      at_risk: q.atRisk,
      breached: q.breached,
      forecast_breaches: breaches.get(q.queue) ?? [],
    })),
    server_time: app.engine.clock.now().toISOString(),
  };
});
