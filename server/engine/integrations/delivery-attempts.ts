import type { DeliveryAttemptView } from "@/lib/schemas/webhooks";
import type { WebhookDeliveryAttempt } from "../../db/generated/client";
import type { Tx } from "../context";
import type { AttemptResult } from "./delivery-worker";

// The per-attempt history of a delivery. Whoever sends an attempt (the delivery worker, an
// admin's resend, a test message) records its outcome here through `recordAttempt`, which
// updates the delivery row (its last-attempt columns) and appends the attempt row in the
// caller's transaction, so the two never disagree.

export type AttemptTrigger = DeliveryAttemptView["trigger"];

export interface AttemptOutcome {
  deliveryId: string;
  /** The delivery's attempts count when this attempt was claimed (the guard against a double record). */
  attemptsBefore: number;
  trigger: AttemptTrigger;
  requestedBy: string | null;
  startedAt: Date;
  /** When the outcome is recorded. */
  at: Date;
  result: AttemptResult;
  /** The delivery's status after this attempt. */
  status: "pending" | "succeeded" | "failed";
  /** When status stays pending: the next automatic attempt. */
  nextAttemptAt: Date | null;
}

/**
 * Records one attempt on a delivery the caller claimed (status pending, attempts unchanged since).
 * Returns false, writing nothing, when the claim was lost (its lease ran out and another sender
 * recorded first): one record wins.
 */
export async function recordAttempt(tx: Tx, outcome: AttemptOutcome): Promise<boolean> {
  const { result, at } = outcome;
  const attempt = outcome.attemptsBefore + 1;
  const updated = await tx.webhookDelivery.updateMany({
    where: { id: outcome.deliveryId, status: "pending", attempts: outcome.attemptsBefore },
    data: {
      attempts: attempt,
      status: outcome.status,
      lastAttemptAt: at,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      lastResponseMs: result.responseMs,
      nextAttemptAt: outcome.status === "pending" ? outcome.nextAttemptAt : null,
      completedAt: outcome.status === "pending" ? null : at,
    },
  });
  if (updated.count !== 1) return false;
  await tx.webhookDeliveryAttempt.create({
    data: {
      deliveryId: outcome.deliveryId,
      attempt,
      trigger: outcome.trigger,
      requestedBy: outcome.requestedBy,
      startedAt: outcome.startedAt,
      statusCode: result.statusCode,
      error: result.error,
      responseMs: result.responseMs,
      responseBody: result.responseBody,
    },
  });
  return true;
}

export function toAttemptView(row: WebhookDeliveryAttempt): DeliveryAttemptView {
  return {
    attempt: row.attempt,
    trigger: row.trigger as AttemptTrigger,
    requested_by: row.requestedBy,
    started_at: row.startedAt.toISOString(),
    status_code: row.statusCode,
    error: row.error,
    response_ms: row.responseMs,
    response_body: row.responseBody,
  };
}
