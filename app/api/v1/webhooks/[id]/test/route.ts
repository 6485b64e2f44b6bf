import { testWebhook } from "@/lib/api/routes/webhooks";
import { integrationSettingsFromEnv } from "@/server/engine/integrations/settings";
import { sendTestWebhook } from "@/server/engine/integrations/webhooks-out";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(testWebhook, async ({ app, params, principal }) => {
  const { policy } = integrationSettingsFromEnv();
  const delivery = await sendTestWebhook(app.engine, params.id, requireActor(principal), {
    timeoutMs: policy.timeoutMs,
  });
  return { delivery };
});
