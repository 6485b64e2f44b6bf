import { instantiateTemplate } from "@/lib/api/routes/queues";
import { instantiateTemplate as instantiate } from "@/server/engine/state/workflow-engine";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { tasksResponse } from "@/server/http/task-response";

export const dynamic = "force-dynamic";

export const POST = handle(instantiateTemplate, async ({ app, params, principal, body }) =>
  tasksResponse(app.engine, await instantiate(app.engine, params.id, body, requireActor(principal))),
);
