import * as workerRoutes from "@/lib/api/routes/workers";
import { workSignal } from "@/server/engine/execution/work-signal";
import { claimTasks } from "@/server/engine/execution/worker-protocol";
import { handle } from "@/server/http/handle";
import { claimedAnswer, leaseMsOf } from "../_claimed";
import { workerOf } from "../_worker-errors";

export const dynamic = "force-dynamic";

export const POST = handle(workerRoutes.claimWork, async ({ app, body, principal, request }) => {
  const claimed = await claimTasks(app.engine, {
    ...workerOf(principal, body.worker_id),
    skills: body.skills,
    max: body.max,
    leaseMs: leaseMsOf(body.lease_seconds),
    waitMs: (body.wait_seconds ?? 0) * 1_000,
    signal: workSignal(app.changes),
    abort: request.signal,
  });
  return { worker_id: body.worker_id, ...(await claimedAnswer(app.engine.prisma, claimed)) };
});
