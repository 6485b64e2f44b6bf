import { revertTask } from "@/lib/api/routes/tasks";
import { revertLastTransition } from "@/server/engine/state/rollback-manager";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { transitionResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(revertTask, async ({ app, params, principal, body }) =>
  transitionResponse(
    app.engine,
    await revertLastTransition(app.engine, params.id, requireActor(principal), {
      expectedVersion: body.expected_version,
      reason: body.reason,
    }),
  ),
);
