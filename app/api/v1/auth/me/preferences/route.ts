import { updateMyPreferences } from "@/lib/api/routes/auth";
import { updatePreferences } from "@/server/auth/preferences";
import { HttpError } from "@/server/http/errors";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** A person saves their own language and time zone; machines have none to save. */
export const PATCH = handle(updateMyPreferences, async ({ app, principal, body }) => {
  if (principal!.kind !== "user") {
    throw new HttpError(403, "FORBIDDEN", "Only a signed-in person has preferences");
  }
  return { preferences: await updatePreferences(app.engine.prisma, principal!.id, body) };
});
