import * as workerRoutes from "@/lib/api/routes/workers";
import { workSignal } from "@/server/engine/execution/work-signal";
import { claimTasks } from "@/server/engine/execution/worker-protocol";
import { loadSeedTask } from "@/server/engine/format/seed-format";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(workerRoutes.claimWork, async ({ app, body, request }) => {
  const claimed = await claimTasks(app.engine, {
    workerId: body.worker_id,
    skills: body.skills,
    max: body.max,
    leaseMs: body.lease_seconds === undefined ? undefined : body.lease_seconds * 1_000,
    waitMs: (body.wait_seconds ?? 0) * 1_000,
    signal: workSignal(app.changes),
    abort: request.signal,
  });
  const tasks = await Promise.all(claimed.tasks.map((t) => loadSeedTask(app.engine.prisma, t.id)));
  return {
    worker_id: body.worker_id,
    lease: { expires_at: claimed.leaseExpiresAt.toISOString(), duration_seconds: claimed.leaseMs / 1_000 },
    tasks: tasks.filter((t) => t !== null),
  };
});
