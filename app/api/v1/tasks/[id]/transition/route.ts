import { transitionTask } from "@/lib/api/routes/tasks";
import { transitionTask as transition } from "@/server/engine/state/state-controller";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { transitionResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(transitionTask, async ({ app, params, principal, body }) =>
  transitionResponse(
    app.engine,
    await transition(app.engine, params.id, body.to, requireActor(principal), {
      expectedVersion: body.expected_version,
      reason: body.reason,
    }),
  ),
);
