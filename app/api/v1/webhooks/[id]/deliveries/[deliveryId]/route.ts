import { getDelivery } from "@/lib/api/routes/webhooks";
import { getDelivery as get } from "@/server/engine/integrations/delivery-detail";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(getDelivery, async ({ app, params }) => ({
  delivery: await get(app.engine.prisma, params.id, params.deliveryId),
}));
