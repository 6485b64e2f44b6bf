import type { DeliveryAttemptView, DeliveryDetailView } from "@/lib/schemas/webhooks";
import type { Actor, EngineContext } from "../context";
import { DomainError } from "../errors";
import { SKILL_EXECUTOR_SUBSCRIPTION_KIND } from "../execution/skill-executors";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { recordAttempt } from "./delivery-attempts";
import { deliveryNotFound, getDelivery } from "./delivery-detail";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, sendLeaseEnd, sendSigned } from "./delivery-worker";

// An admin's manual resend of one delivery: the same body and webhook-id, signed anew, sent now
// as one more attempt (no automatic retries after it), recorded in the attempt log.
//
// Only a finished delivery (succeeded, or failed for good) is resent. A pending one belongs to the
// delivery worker (waiting for its next attempt or being sent): refused, so one message is never
// sent twice at once. The resend claims the delivery as the worker does — under the row lock
// (SKIP LOCKED) it becomes pending with its next attempt pushed past a send lease — so the worker
// leaves it alone while it is sent; if this process dies mid-send, the lease runs out and the
// worker sends it as an ordinary retry.

export interface RedeliverOptions {
  policy?: Pick<DeliveryPolicy, "timeoutMs">;
  /** Wall time for the signature (default now). */
  signedAt?: Date;
  fetchImpl?: typeof fetch;
}

export interface RedeliverResult {
  delivery: DeliveryDetailView;
  attempt: DeliveryAttemptView | null;
}

interface ClaimedDelivery {
  id: string;
  status: string;
  attempts: number;
  body: string;
  next_attempt_at: Date | null;
  url: string;
  secret: string;
  kind: string;
}

async function claimForResend(
  ctx: EngineContext,
  webhookId: string,
  deliveryId: string,
  actor: Actor,
  timeoutMs: number,
) {
  return inTransaction(ctx, async (tx, at) => {
    const [row] = await tx.$queryRaw<ClaimedDelivery[]>`
      SELECT d.id, d.status, d.attempts, d.body, d.next_attempt_at, s.url, s.secret, s.kind
      FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
      WHERE d.id = ${deliveryId} AND d.subscription_id = ${webhookId}
      FOR UPDATE OF d SKIP LOCKED`;
    if (!row) {
      // Missing, or locked by a sender recording its attempt right now.
      await getDelivery(tx, webhookId, deliveryId);
      throw new DomainError("CONFLICT", `Delivery ${deliveryId} is being sent right now; try again shortly`, {
        id: deliveryId,
      });
    }
    if (row.kind === SKILL_EXECUTOR_SUBSCRIPTION_KIND) throw deliveryNotFound(webhookId, deliveryId);
    if (row.status === "pending") {
      const next = row.next_attempt_at ? ` (next attempt at ${row.next_attempt_at.toISOString()})` : "";
      throw new DomainError(
        "CONFLICT",
        `Delivery ${deliveryId} is still pending: the delivery worker sends it${next}. Only a succeeded or failed delivery can be resent`,
        { id: deliveryId, status: row.status },
      );
    }
    await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: {
        status: "pending",
        nextAttemptAt: sendLeaseEnd({ ...DEFAULT_DELIVERY_POLICY, timeoutMs }, at),
        completedAt: null,
      },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "webhook.redelivered",
      details: {
        webhook_id: webhookId,
        delivery_id: deliveryId,
        previous_status: row.status,
        attempt: row.attempts + 1,
      },
    });
    return row;
  });
}

/** Resends a finished delivery now; answers with the delivery (attempt log included) and the new attempt. */
export async function redeliver(
  ctx: EngineContext,
  webhookId: string,
  deliveryId: string,
  actor: Actor,
  options: RedeliverOptions = {},
): Promise<RedeliverResult> {
  const timeoutMs = options.policy?.timeoutMs ?? DEFAULT_DELIVERY_POLICY.timeoutMs;
  const claimed = await claimForResend(ctx, webhookId, deliveryId, actor, timeoutMs);
  const startedAt = ctx.clock.now();
  const result = await sendSigned({
    url: claimed.url,
    secret: claimed.secret,
    messageId: claimed.id,
    body: claimed.body,
    at: options.signedAt ?? new Date(),
    timeoutMs,
    fetchImpl: options.fetchImpl,
  });
  await inTransaction(ctx, (tx, at) =>
    recordAttempt(tx, {
      deliveryId,
      attemptsBefore: claimed.attempts,
      trigger: "manual",
      requestedBy: actor.id,
      startedAt,
      at,
      result,
      status: result.ok ? "succeeded" : "failed",
      nextAttemptAt: null,
    }),
  );
  const delivery = await getDelivery(ctx.prisma, webhookId, deliveryId);
  const attempt = delivery.attempt_log.find((a) => a.attempt === claimed.attempts + 1) ?? null;
  return { delivery, attempt };
}
