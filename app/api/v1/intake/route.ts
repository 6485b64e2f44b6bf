import { submitIntake } from "@/lib/api/routes/intake";
import { loadSeedTasks } from "@/server/engine/format/seed-format";
import { submitIntake as submit } from "@/server/engine/intake/submit-intake";
import { requireActor } from "@/server/http/api-route";
import { HttpError } from "@/server/http/errors";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(submitIntake, async ({ app, principal, body, request }) => {
  const key = request.headers.get("idempotency-key") ?? undefined;
  if (key !== undefined && !/^[\w.:-]{1,200}$/.test(key)) {
    throw new HttpError(400, "VALIDATION", "Idempotency-Key: 1-200 letters, digits, . : _ -", [
      { path: "Idempotency-Key", message: "1-200 letters, digits, . : _ -" },
    ]);
  }
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
