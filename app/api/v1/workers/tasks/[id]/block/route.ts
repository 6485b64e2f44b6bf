import * as workerRoutes from "@/lib/api/routes/workers";
import { blockWork } from "@/server/engine/execution/worker-protocol";
import { loadSeedTask } from "@/server/engine/format/seed-format";
import { handle } from "@/server/http/handle";
import { asWorker, workerOf } from "../../../_worker-errors";

export const dynamic = "force-dynamic";

export const POST = handle(workerRoutes.blockWork, ({ app, params, body, principal }) =>
  asWorker(async () => {
    const task = await blockWork(app.engine, params.id, workerOf(principal, body.worker_id), body.reason);
    return { task: await loadSeedTask(app.engine.prisma, task.id) };
  }),
);
