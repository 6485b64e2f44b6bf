import * as workerRoutes from "@/lib/api/routes/workers";
import type { Prisma } from "@/server/db/generated/client";
import { completeWork } from "@/server/engine/execution/worker-protocol";
import { loadSeedTask } from "@/server/engine/format/seed-format";
import { handle } from "@/server/http/handle";
import { asWorker, workerOf } from "../../../_worker-errors";

export const dynamic = "force-dynamic";

type JsonList = Prisma.InputJsonValue[] | undefined;

export const POST = handle(workerRoutes.completeWork, ({ app, params, body, principal }) =>
  asWorker(async () => {
    const output = body.output && {
      deliverables: body.output.deliverables as JsonList,
      notes: body.output.notes as JsonList,
      next_actions: body.output.next_actions as JsonList,
    };
    const outcome = await completeWork(app.engine, params.id, workerOf(principal, body.worker_id), output);
    return {
      task: await loadSeedTask(app.engine.prisma, outcome.task.id),
      parked: outcome.parked,
      pending_subtasks: outcome.pendingSubtasks,
      unblocked: outcome.unblocked,
      completed_parents: outcome.completedParents,
    };
  }),
);
