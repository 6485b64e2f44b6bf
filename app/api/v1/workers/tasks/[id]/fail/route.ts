import * as workerRoutes from "@/lib/api/routes/workers";
import { failWork } from "@/server/engine/execution/worker-protocol";
import { loadSeedTask } from "@/server/engine/format/seed-format";
import { handle } from "@/server/http/handle";
import { asWorker, workerOf } from "../../../_worker-errors";

export const dynamic = "force-dynamic";

export const POST = handle(workerRoutes.failWork, ({ app, params, body, principal }) =>
  asWorker(async () => {
    const outcome = await failWork(app.engine, params.id, workerOf(principal, body.worker_id), {
      error: body.error,
      recoverable: body.recoverable,
    });
    return {
      task: await loadSeedTask(app.engine.prisma, outcome.result.task.id),
      retry:
        outcome.nextRetryAt && outcome.nextAttempt
          ? { attempt: outcome.nextAttempt, next_retry_at: outcome.nextRetryAt.toISOString() }
          : null,
      gave_up: outcome.gaveUp,
      escalation_id: outcome.escalationId,
    };
  }),
);
