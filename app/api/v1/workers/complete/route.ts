import * as workerRoutes from "@/lib/api/routes/workers";
import type { Prisma } from "@/server/db/generated/client";
import { workerErrorCode } from "@/server/engine/execution/leases";
import {
  type CompletionResult,
  completeAndClaim,
  completeMany,
} from "@/server/engine/execution/worker-protocol";
import { handle } from "@/server/http/handle";
import { claimedAnswer, leaseMsOf } from "../_claimed";
import { workerOf } from "../_worker-errors";

export const dynamic = "force-dynamic";

type JsonList = Prisma.InputJsonValue[] | undefined;

function resultAnswer(r: CompletionResult) {
  return r.ok
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
      };
}

export const POST = handle(workerRoutes.completeManyWork, async ({ app, body, principal }) => {
  const worker = workerOf(principal, body.worker_id);
  const items = body.results.map((r) => ({
    taskId: r.task_id,
    output: r.output && {
      deliverables: r.output.deliverables as JsonList,
      notes: r.output.notes as JsonList,
      next_actions: r.output.next_actions as JsonList,
    },
  }));
  if (!body.claim) {
    const results = await completeMany(app.engine, worker, items);
    return { worker_id: body.worker_id, results: results.map(resultAnswer) };
  }
  const { results, claimed } = await completeAndClaim(app.engine, worker, items, {
    skills: body.claim.skills,
    max: body.claim.max,
    leaseMs: leaseMsOf(body.claim.lease_seconds),
  });
  return {
    worker_id: body.worker_id,
    results: results.map(resultAnswer),
    claimed: await claimedAnswer(app.engine.prisma, claimed),
  };
});
