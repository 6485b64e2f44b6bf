import { listDeliveries } from "@/lib/api/routes/webhooks";
import { listDeliveries as list } from "@/server/engine/integrations/webhooks-out";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listDeliveries, async ({ app, params, query }) =>
  list(app.engine, params.id, query),
);
