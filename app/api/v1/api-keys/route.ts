import { createApiKey, listApiKeys } from "@/lib/api/routes/auth";
import { createApiKey as create, listApiKeys as list } from "@/server/auth/api-keys";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listApiKeys, async ({ app }) => ({ api_keys: await list(app.engine.prisma) }));

/** The key's secret is in this response only; the server keeps its hash. */
export const POST = handle(createApiKey, async ({ app, principal, body }) => {
  const created = await create(app.engine.prisma, app.engine.clock, body, requireActor(principal));
  return { key: created.key, api_key: created.apiKey };
});
