import { setScore } from "@/lib/api/routes/tasks";
import { setScore as set } from "@/server/engine/queue/priority-adjuster";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { taskResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(setScore, async ({ app, params, principal, body }) =>
  taskResponse(
    app.engine,
    await set(app.engine, params.id, requireActor(principal), {
      score: body.score,
      expectedVersion: body.expected_version,
    }),
  ),
);
