import { createSchedule, listSchedules } from "@/lib/api/routes/schedules";
import { createSchedule as create, listSchedules as list } from "@/server/engine/scheduling/schedules";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listSchedules, async ({ app }) => ({ schedules: await list(app.engine) }));

export const POST = handle(createSchedule, async ({ app, principal, body }) => ({
  schedule: await create(app.engine, body, requireActor(principal)),
}));
