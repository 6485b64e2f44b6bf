import { me } from "@/lib/api/routes/auth";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** Who the caller is and what they may do: the UI shows only the actions allowed. */
export const GET = handle(me, async ({ principal }) => ({
  kind: principal!.kind,
  name: principal!.name,
  role: principal!.role,
  actor_role: principal!.actor?.role ?? null,
  permissions: [...principal!.permissions].sort(),
}));
