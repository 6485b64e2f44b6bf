import { submitIntake } from "@/lib/api/routes/intake";
import { loadSeedTasks } from "@/server/engine/format/seed-format";
import { submitIntake as submit } from "@/server/engine/intake/submit-intake";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { idempotencyKeyOf } from "@/server/http/idempotency";

export const dynamic = "force-dynamic";

export const POST = handle(submitIntake, async ({ app, principal, body, request }) => {
  const key = idempotencyKeyOf(request);
  const result = await submit(app.engine, body, requireActor(principal), key);
  return Response.json(
    {
      intake_id: result.intakeId,
      replayed: result.replayed,
      tasks: await loadSeedTasks(app.engine.prisma, result.taskIds),
    },
    { status: result.replayed ? 200 : 201 },
  );
});
