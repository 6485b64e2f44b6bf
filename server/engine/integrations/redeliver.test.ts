import { Webhook } from "standardwebhooks";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, expectDomainError, newTask, setupEngine } from "../state/test-support";
import { getDelivery } from "./delivery-detail";
import { sweepEventsToDeliveries } from "./delivery-sweep";
import { DeliveryWorker } from "./delivery-worker";
import { redeliver } from "./redeliver";
import { type ReceivedRequest, type Receiver, receiverSet } from "./test-receiver";
import { createWebhook, listDeliveries } from "./webhooks-out";

// The per-attempt history and manual resend, against a real PostgreSQL and real HTTP receivers:
// one attempt row per attempt with its status code or error, a failed-for-good delivery resent
// as a new signed attempt, and the refusals (pending, unknown, another webhook's, racing resends).

const h = setupEngine({ poolSize: 6 });
const receivers = receiverSet();
const receiver = (fallback: 200 | 500 = 200) => receivers.start(fallback);

const worker = (maxAttempts = 8, timeoutMs = 5_000) =>
  new DeliveryWorker(h.ctx, { random: () => 0.5, policy: { maxAttempts, timeoutMs } });

function verify(secret: string, request: ReceivedRequest | undefined) {
  return new Webhook(secret).verify(request?.body ?? "", {
    "webhook-id": String(request?.headers["webhook-id"]),
    "webhook-timestamp": String(request?.headers["webhook-timestamp"]),
    "webhook-signature": String(request?.headers["webhook-signature"]),
  }) as { type: string };
}

/** A subscription to task.created and one delivery of it, swept but not sent yet. */
async function oneDelivery(r: Receiver) {
  const made = await createWebhook(h.ctx, { url: r.url, event_types: ["task.created"] }, ADMIN);
  await newTask(h.ctx);
  await sweepEventsToDeliveries(h.ctx);
  const [delivery] = (await listDeliveries(h.ctx, made.webhook.id, {})).deliveries;
  if (!delivery) throw new Error("no delivery");
  return { webhookId: made.webhook.id, secret: made.secret as string, deliveryId: delivery.id };
}

/** Sends it until it fails for good (maxAttempts 2: 500 then 500). */
async function failForGood(w: DeliveryWorker) {
  expect(await w.runOnce()).toMatchObject({ retried: 1 });
  h.clock.advance(30_000);
  expect(await w.runOnce()).toMatchObject({ failed: 1 });
}

beforeAll(async () => {
  await sweepEventsToDeliveries(h.ctx);
});

afterEach(async () => {
  await receivers.closeAll();
  await h.db.prisma.webhookSubscription.updateMany({ data: { enabled: false } });
});

describe("attempt history", () => {
  it("writes one attempt row per attempt with its status code, error, time and answer", async () => {
    const r = await receiver();
    r.script(500, "hang");
    const { webhookId, deliveryId } = await oneDelivery(r);
    const w = worker(8, 1_000);

    const first = h.clock.now();
    await w.runOnce();
    h.clock.advance(30_000);
    await w.runOnce(); // the hang: timed out
    h.clock.advance(60_000);
    await w.runOnce();

    const delivery = await getDelivery(h.ctx.prisma, webhookId, deliveryId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 3, last_status_code: 200 });
    expect(delivery.attempt_log.map((a) => [a.attempt, a.trigger, a.status_code, a.error])).toEqual([
      [1, "automatic", 500, "HTTP 500"],
      [2, "automatic", null, "Timed out after 1000 ms"],
      [3, "automatic", 200, null],
    ]);
    expect(delivery.attempt_log[0]?.started_at).toBe(first.toISOString());
    expect(delivery.attempt_log[0]?.response_body).toBe('{"ok":false}');
    expect(delivery.attempt_log[1]?.response_body).toBeNull();
    expect(delivery.attempt_log[2]?.response_body).toBe('{"ok":true}');
    for (const a of delivery.attempt_log) expect(a.response_ms).toBeGreaterThanOrEqual(0);
    expect(r.requests).toHaveLength(3);
  });

  it("logs an unreachable receiver's attempt with the connection error and no status", async () => {
    const r = await receiver();
    const { webhookId, deliveryId } = await oneDelivery(r);
    await receivers.stop(r);
    await worker().runOnce();
    const [attempt] = (await getDelivery(h.ctx.prisma, webhookId, deliveryId)).attempt_log;
    expect(attempt).toMatchObject({ attempt: 1, status_code: null, response_body: null });
    expect(attempt?.error).toMatch(/ECONNREFUSED/);
  });
});

describe("manual resend", () => {
  it("resends a failed-for-good delivery as a new signed attempt, audited", async () => {
    const r = await receiver(500);
    const { webhookId, secret, deliveryId } = await oneDelivery(r);
    await failForGood(worker(2));
    expect(await getDelivery(h.ctx.prisma, webhookId, deliveryId)).toMatchObject({
      status: "failed",
      attempts: 2,
    });

    r.fallback = 200;
    const { delivery, attempt } = await redeliver(h.ctx, webhookId, deliveryId, ADMIN);
    expect(attempt).toMatchObject({
      attempt: 3,
      trigger: "manual",
      requested_by: ADMIN.id,
      status_code: 200,
    });
    const { status, attempts, last_status_code, last_error, next_attempt_at } = delivery;
    expect({ status, attempts, last_status_code, last_error, next_attempt_at }).toEqual({
      status: "succeeded",
      attempts: 3,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
    });
    expect(delivery.completed_at).not.toBeNull();
    expect(delivery.attempt_log.map((a) => a.trigger)).toEqual(["automatic", "automatic", "manual"]);

    const requests = await r.waitFor(3);
    const resent = requests[2];
    expect(verify(secret, resent).type).toBe("task.created");
    // The same message: one webhook-id, the same bytes.
    expect(resent?.headers["webhook-id"]).toBe(deliveryId);
    expect(resent?.body).toBe(requests[0]?.body);

    const audit = await h.db.prisma.auditLog.findFirst({
      where: { action: "webhook.redelivered", details: { path: ["delivery_id"], equals: deliveryId } },
    });
    expect(audit).toMatchObject({ actor: ADMIN.id });
    expect(audit?.details).toMatchObject({ delivery_id: deliveryId, previous_status: "failed", attempt: 3 });
    // The worker has nothing left to send: a resend is one attempt, not a new retry series.
    h.clock.advance(3_600_000);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
  });

  it("a failing resend is logged and leaves the delivery failed, without automatic retries", async () => {
    const r = await receiver(500);
    const { webhookId, deliveryId } = await oneDelivery(r);
    await failForGood(worker(2));
    r.fallback = 500;
    const { delivery, attempt } = await redeliver(h.ctx, webhookId, deliveryId, ADMIN);
    expect(attempt).toMatchObject({ attempt: 3, status_code: 500, error: "HTTP 500" });
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, next_attempt_at: null });
    h.clock.advance(3_600_000);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
  });

  it("refuses a pending delivery, an unknown one and another webhook's", async () => {
    const r = await receiver(500);
    const { webhookId, deliveryId } = await oneDelivery(r);
    const pending = await expectDomainError(redeliver(h.ctx, webhookId, deliveryId, ADMIN), "CONFLICT");
    expect(pending.message).toMatch(/still pending/);
    await worker().runOnce(); // failed once, waiting for its retry: still the worker's
    await expectDomainError(redeliver(h.ctx, webhookId, deliveryId, ADMIN), "CONFLICT");
    expect(r.requests).toHaveLength(1);

    const unknown = await expectDomainError(
      redeliver(h.ctx, webhookId, `msg_${"0".repeat(32)}`, ADMIN),
      "NOT_FOUND",
    );
    expect(unknown.message).toMatch(/has no delivery msg_0+/);
    const other = await createWebhook(h.ctx, { url: r.url }, ADMIN);
    await expectDomainError(redeliver(h.ctx, other.webhook.id, deliveryId, ADMIN), "NOT_FOUND");
    expect(r.requests).toHaveLength(1);
  });

  it("sends once when resends race, and the worker leaves a delivery being resent alone", async () => {
    const r = await receiver(500);
    const { webhookId, deliveryId } = await oneDelivery(r);
    await failForGood(worker(2));
    r.script("hang");
    const sending = redeliver(h.ctx, webhookId, deliveryId, ADMIN, { policy: { timeoutMs: 1_000 } });
    await r.waitFor(3);
    // In flight: a second resend is refused and the worker does not claim it.
    await expectDomainError(redeliver(h.ctx, webhookId, deliveryId, ADMIN), "CONFLICT");
    h.clock.advance(20_000); // within the resend's lease (2 × timeout + 30 s)
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    const { attempt } = await sending;
    expect(attempt).toMatchObject({ attempt: 3, status_code: null, error: "Timed out after 1000 ms" });

    const racing = await Promise.allSettled(
      Array.from({ length: 3 }, () => redeliver(h.ctx, webhookId, deliveryId, ADMIN)),
    );
    expect(racing.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    expect(r.requests).toHaveLength(4);
    const log = (await getDelivery(h.ctx.prisma, webhookId, deliveryId)).attempt_log;
    expect(log.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
  });
});
