import * as workerRoutes from "@/lib/api/routes/workers";
import type { Prisma } from "@/server/db/generated/client";
import { workerErrorCode } from "@/server/engine/execution/leases";
import { completeMany } from "@/server/engine/execution/worker-protocol";
import { handle } from "@/server/http/handle";
import { workerOf } from "../_worker-errors";

export const dynamic = "force-dynamic";

type JsonList = Prisma.InputJsonValue[] | undefined;

export const POST = handle(workerRoutes.completeManyWork, async ({ app, body, principal }) => {
  const results = await completeMany(
    app.engine,
    workerOf(principal, body.worker_id),
    body.results.map((r) => ({
      taskId: r.task_id,
      output: r.output && {
        deliverables: r.output.deliverables as JsonList,
        notes: r.output.notes as JsonList,
        next_actions: r.output.next_actions as JsonList,
      },
    })),
  );
  return {
    worker_id: body.worker_id,
    results: results.map((r) =>
      r.ok
        ? {
            task_id: r.taskId,
            ok: true,
            parked: r.parked,
            unblocked: r.unblocked,
            completed_parents: r.completedParents,
          }
        : {
            task_id: r.taskId,
            ok: false,
            error: { code: workerErrorCode(r.error) ?? r.error.code, message: r.error.message },
          },
    ),
  };
});
