import { createUser, listUsers } from "@/lib/api/routes/auth";
import { createUser as create, listUsers as list } from "@/server/auth/users";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listUsers, async ({ app }) => ({ users: await list(app.engine.prisma) }));

export const POST = handle(createUser, async ({ app, principal, body }) => ({
  user: await create(app.engine.prisma, app.engine.clock, body, requireActor(principal)),
}));
