import { createExecutor, listExecutors } from "@/lib/api/routes/skills";
import { createExecutor as create, listExecutors as list } from "@/server/engine/execution/skill-executors";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listExecutors, async ({ app }) => ({ skills: await list(app.engine) }));

export const POST = handle(createExecutor, async ({ app, principal, body }) =>
  create(app.engine, body, requireActor(principal)),
);
