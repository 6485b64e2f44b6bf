import { updateUser } from "@/lib/api/routes/auth";
import { updateUser as update } from "@/server/auth/users";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const PATCH = handle(updateUser, async ({ app, params, principal, body }) => ({
  user: await update(app.engine.prisma, app.engine.clock, params.id, body, requireActor(principal)),
}));
