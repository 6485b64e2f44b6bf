import { revokeApiKey } from "@/lib/api/routes/auth";
import { revokeApiKey as revoke } from "@/server/auth/api-keys";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(revokeApiKey, async ({ app, params, principal }) => ({
  api_key: await revoke(app.engine.prisma, app.engine.clock, params.id, requireActor(principal)),
}));
