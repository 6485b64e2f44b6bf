import { redeliver } from "@/lib/api/routes/webhooks";
import { redeliver as resend } from "@/server/engine/integrations/redeliver";
import { integrationSettingsFromEnv } from "@/server/engine/integrations/settings";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(redeliver, async ({ app, params, principal }) => {
  const { policy } = integrationSettingsFromEnv();
  return resend(app.engine, params.id, params.deliveryId, requireActor(principal), { policy });
});
