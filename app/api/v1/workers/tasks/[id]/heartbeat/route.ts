import * as workerRoutes from "@/lib/api/routes/workers";
import { heartbeat } from "@/server/engine/execution/worker-protocol";
import { loadSeedTask } from "@/server/engine/format/seed-format";
import { handle } from "@/server/http/handle";
import { asWorker, workerOf } from "../../../_worker-errors";

export const dynamic = "force-dynamic";

export const POST = handle(workerRoutes.heartbeat, ({ app, params, body, principal }) =>
  asWorker(async () => {
    const task = await heartbeat(app.engine, params.id, workerOf(principal, body.worker_id), {
      progressPercent: body.progress_percent,
      currentStep: body.current_step,
      leaseMs: body.lease_seconds === undefined ? undefined : body.lease_seconds * 1_000,
    });
    return {
      task: await loadSeedTask(app.engine.prisma, task.id),
      lease: { expires_at: task.leaseExpiresAt?.toISOString() ?? null },
    };
  }),
);
