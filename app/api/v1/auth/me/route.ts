import { me } from "@/lib/api/routes/auth";
import { readPreferences } from "@/server/auth/preferences";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** Who the caller is and what they may do: the UI shows only the actions allowed. */
export const GET = handle(me, async ({ app, principal }) => ({
  kind: principal!.kind,
  name: principal!.name,
  role: principal!.role,
  actor_role: principal!.actor?.role ?? null,
  permissions: [...principal!.permissions].sort(),
  preferences: principal!.kind === "user" ? await readPreferences(app.engine.prisma, principal!.id) : null,
}));
