import type { DeliveryDetailView } from "@/lib/schemas/webhooks";
import type { EngineContext, Tx } from "../context";
import { DomainError } from "../errors";
import { SKILL_EXECUTOR_SUBSCRIPTION_KIND } from "../execution/skill-executors";
import { toAttemptView } from "./delivery-attempts";
import { toDeliveryView } from "./webhooks-out";

// One delivery of one subscription with its whole attempt history (the admin's detail view).

export const deliveryNotFound = (webhookId: string, deliveryId: string) =>
  new DomainError("NOT_FOUND", `Webhook ${webhookId} has no delivery ${deliveryId}`, {
    id: deliveryId,
    webhook_id: webhookId,
  });

/** The delivery with its attempts; a delivery of another subscription, or of a skill executor, is not found. */
export async function getDelivery(
  db: EngineContext["prisma"] | Tx,
  webhookId: string,
  deliveryId: string,
): Promise<DeliveryDetailView> {
  const row = await db.webhookDelivery.findFirst({
    where: {
      id: deliveryId,
      subscriptionId: webhookId,
      subscription: { kind: { not: SKILL_EXECUTOR_SUBSCRIPTION_KIND } },
    },
    include: { attemptLog: { orderBy: { attempt: "asc" } } },
  });
  if (!row) throw deliveryNotFound(webhookId, deliveryId);
  const { attemptLog, ...delivery } = row;
  return { ...toDeliveryView(delivery), attempt_log: attemptLog.map(toAttemptView) };
}
