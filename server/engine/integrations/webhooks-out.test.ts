import pg from "pg";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TaskStateName } from "@/lib/states";
import { commitTaskChange, lockTask } from "../state/commit-change";
import { ADMIN, newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { recordEvent } from "../tracking/events";
import { syncClientIntakeSubscription } from "./client-intake-notifier";
import { sweepEventsToDeliveries } from "./delivery-sweep";
import { DeliveryWorker } from "./delivery-worker";
import { type Receiver, startReceiver } from "./test-receiver";
import {
  CLIENT_INTAKE_ID,
  createWebhook,
  listDeliveries,
  sendTestWebhook,
  updateWebhook,
} from "./webhooks-out";

// Outbound webhooks against a real PostgreSQL and real HTTP receivers on 127.0.0.1: the
// outbox sweep, signatures checked with the reference library, retries with backoff on the
// fake clock, timeouts, once-only creation under racing sweeps and in-flight transactions.

const h = setupEngine({ poolSize: 8 });
const receivers: Receiver[] = [];

async function receiver(fallback: 200 | 500 = 200): Promise<Receiver> {
  const r = await startReceiver(fallback);
  receivers.push(r);
  return r;
}

const worker = (options: ConstructorParameters<typeof DeliveryWorker>[1] = {}) =>
  new DeliveryWorker(h.ctx, { random: () => 0.5, ...options });

/** Turns off every subscription, so each test sees only its own. */
async function quiet(): Promise<void> {
  await h.db.prisma.webhookSubscription.updateMany({ data: { enabled: false } });
  await sweepEventsToDeliveries(h.ctx);
}

async function finish(taskId: string, to: TaskStateName = "COMPLETED") {
  return inTransaction(h.ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    return commitTaskChange(tx, task, {
      at,
      actor: ADMIN,
      action: "task.transitioned",
      toState: to,
      patch: to === "COMPLETED" ? { completedAt: at, progressPercent: 100 } : {},
    });
  });
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await quiet();
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe("outbound webhooks", () => {
  beforeAll(async () => {
    await sweepEventsToDeliveries(h.ctx); // the cursor starts at "now"
  });

  it("delivers a committed change signed per Standard Webhooks, verified by the reference library", async () => {
    const r = await receiver();
    const { webhook, secret } = await createWebhook(
      h.ctx,
      { url: r.url, event_types: ["task.created", "task.completed"] },
      ADMIN,
    );
    expect(secret).toMatch(/^whsec_/);
    const task = await newTask(h.ctx, { intake_id: "INK-2026-000042" });
    await finish(task.id);

    const sweep = await sweepEventsToDeliveries(h.ctx);
    expect(sweep).toMatchObject({ ran: true, deliveries: 2 });
    expect(await worker().runOnce()).toMatchObject({ claimed: 2, succeeded: 2 });

    const requests = await r.waitFor(2);
    const messages = requests.map((req) => {
      expect(req.method).toBe("POST");
      expect(req.headers["content-type"]).toBe("application/json");
      expect(req.headers["webhook-id"]).toMatch(/^msg_[a-f0-9]{32}$/);
      expect(req.headers["webhook-signature"]).toMatch(/^v1,/);
      return new Webhook(secret as string).verify(req.body, {
        "webhook-id": String(req.headers["webhook-id"]),
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      }) as { type: string; timestamp: string; data: { task: { id: string; state: { current: string } } } };
    });
    expect(messages.map((m) => m.type).sort()).toEqual(["task.completed", "task.created"]);
    const completed = messages.find((m) => m.type === "task.completed");
    expect(completed?.data.task.id).toBe(task.id);
    expect(completed?.data.task.state.current).toBe("COMPLETED");
    expect(completed?.data).toMatchObject({ change: { action: "task.transitioned", to: "COMPLETED" } });
    expect(completed?.timestamp).toBe(h.clock.now().toISOString());

    // A tampered body does not verify.
    const [first] = requests;
    expect(() =>
      new Webhook(secret as string).verify(`${first?.body} `, {
        "webhook-id": String(first?.headers["webhook-id"]),
        "webhook-timestamp": String(first?.headers["webhook-timestamp"]),
        "webhook-signature": String(first?.headers["webhook-signature"]),
      }),
    ).toThrow();

    const log = await listDeliveries(h.ctx, webhook.id, {});
    expect(log.deliveries.map((d) => [d.status, d.attempts, d.last_status_code])).toEqual([
      ["succeeded", 1, 200],
      ["succeeded", 1, 200],
    ]);
    expect(log.deliveries[0]?.last_response_ms).toBeGreaterThanOrEqual(0);
    // Nothing is sent twice.
    expect(await sweepEventsToDeliveries(h.ctx)).toMatchObject({ deliveries: 0 });
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
  });

  it("retries a failing receiver with exponential backoff until it answers 2xx", async () => {
    const r = await receiver();
    r.script(500, 503);
    const { webhook } = await createWebhook(h.ctx, { url: r.url, event_types: ["task.created"] }, ADMIN);
    await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    const w = worker();

    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let [delivery] = (await listDeliveries(h.ctx, webhook.id, {})).deliveries;
    expect(delivery).toMatchObject({
      status: "pending",
      attempts: 1,
      last_status_code: 500,
      last_error: "HTTP 500",
    });
    expect(delivery?.next_attempt_at).toBe(new Date(h.clock.now().getTime() + 30_000).toISOString());

    expect(await w.runOnce()).toMatchObject({ claimed: 0 }); // not due yet
    h.clock.advance(30_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    [delivery] = (await listDeliveries(h.ctx, webhook.id, {})).deliveries;
    expect(delivery).toMatchObject({ attempts: 2, last_status_code: 503 });
    expect(delivery?.next_attempt_at).toBe(new Date(h.clock.now().getTime() + 60_000).toISOString());

    h.clock.advance(59_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    h.clock.advance(1_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, succeeded: 1 });
    [delivery] = (await listDeliveries(h.ctx, webhook.id, {})).deliveries;
    expect(delivery).toMatchObject({
      status: "succeeded",
      attempts: 3,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
    });
    // The same message every time: one webhook-id, one body.
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"])).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
  });

  it("gives up after the last attempt and says so in the log", async () => {
    const r = await receiver(500);
    const { webhook } = await createWebhook(h.ctx, { url: r.url, event_types: ["task.created"] }, ADMIN);
    await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    const w = worker({ policy: { maxAttempts: 3 } });
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    h.clock.advance(30_000);
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    h.clock.advance(60_000);
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    h.clock.advance(3_600_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    const [delivery] = (await listDeliveries(h.ctx, webhook.id, { status: "failed" })).deliveries;
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, next_attempt_at: null });
    expect(delivery?.completed_at).not.toBeNull();
  });

  it("a send in flight holds up no engine command", async () => {
    const r = await receiver();
    r.script("hold"); // answers only when released, so the send is surely still in flight
    await createWebhook(h.ctx, { url: r.url, event_types: ["task.created"] }, ADMIN);
    await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    const w = worker({ policy: { timeoutMs: 120_000 } });

    let settled = false;
    const sending = w.runOnce().finally(() => {
      settled = true;
    });
    await r.waitFor(1);
    const during = await newTask(h.ctx);
    expect(during.state).toBe("QUEUED");
    expect(settled).toBe(false);
    r.release(200);
    expect(await sending).toMatchObject({ claimed: 1, succeeded: 1 });
  });

  it("a hanging receiver times out, and is retried later", async () => {
    const r = await receiver();
    r.script("hang");
    const { webhook } = await createWebhook(h.ctx, { url: r.url, event_types: ["task.created"] }, ADMIN);
    await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    const w = worker({ policy: { timeoutMs: 1_000 } });
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });

    const [delivery] = (await listDeliveries(h.ctx, webhook.id, {})).deliveries;
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, last_status_code: null });
    expect(delivery?.last_error).toBe("Timed out after 1000 ms");
    h.clock.advance(30_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, succeeded: 1 });
  });

  it("logs an unreachable URL as a failed attempt and retries it", async () => {
    const r = await receiver();
    const url = r.url;
    await r.close(); // nothing listens there any more
    receivers.splice(receivers.indexOf(r), 1);
    const { webhook } = await createWebhook(h.ctx, { url, event_types: ["task.created"] }, ADMIN);
    await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    const [delivery] = (await listDeliveries(h.ctx, webhook.id, {})).deliveries;
    expect(delivery?.last_error).toMatch(/ECONNREFUSED/);
    expect(delivery?.next_attempt_at).not.toBeNull();
  });

  it("creates each delivery once when sweeps race, and sends each once when workers race", async () => {
    const r = await receiver();
    const a = await createWebhook(h.ctx, { url: r.url, event_types: ["task.*"] }, ADMIN);
    const b = await createWebhook(h.ctx, { url: r.url, event_types: ["*"] }, ADMIN);
    for (let i = 0; i < 10; i += 1) await newTask(h.ctx);

    const sweeps = await Promise.all(Array.from({ length: 4 }, () => sweepEventsToDeliveries(h.ctx)));
    const more = await Promise.all(Array.from({ length: 4 }, () => sweepEventsToDeliveries(h.ctx)));
    const created = [...sweeps, ...more].reduce((n, s) => n + s.deliveries, 0);
    expect(created).toBe(20); // 10 tasks × 2 subscriptions
    expect(
      await h.db.prisma.webhookDelivery.count({
        where: { status: "pending", subscriptionId: { in: [a.webhook.id, b.webhook.id] } },
      }),
    ).toBe(20);

    const results = await Promise.all([worker().runOnce(), worker().runOnce(), worker().runOnce()]);
    expect(results.reduce((n, x) => n + x.succeeded, 0)).toBe(20);
    expect(r.requests).toHaveLength(20);
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"])).size).toBe(20);
  });

  it("does not lose an event whose transaction commits after a later one was swept", async () => {
    const r = await receiver();
    const { webhook } = await createWebhook(h.ctx, { url: r.url, event_types: ["test.*"] }, ADMIN);
    const slow = new pg.Client({ connectionString: h.db.url });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      const inserted = await slow.query<{ id: string }>(
        `INSERT INTO events (at, type, payload) VALUES ($1, 'test.slow', '{}') RETURNING id`,
        [h.clock.now()],
      );
      const slowId = inserted.rows[0]?.id;
      await inTransaction(h.ctx, (tx, at) => recordEvent(tx, { at, type: "test.fast" }));
      expect(await sweepEventsToDeliveries(h.ctx)).toMatchObject({ deliveries: 1 });
      await slow.query("COMMIT");
      expect(await sweepEventsToDeliveries(h.ctx)).toMatchObject({ deliveries: 1 });
      const log = await listDeliveries(h.ctx, webhook.id, {});
      expect(log.deliveries.map((d) => d.event_type).sort()).toEqual(["test.fast", "test.slow"]);
      expect(log.deliveries.find((d) => d.event_type === "test.slow")?.event_id).toBe(slowId);
      const cursor = await h.db.prisma.webhookCursor.findUnique({ where: { name: "outbound" } });
      expect(cursor?.gaps).toEqual([]);
    } finally {
      await slow.end();
    }
  });

  it("forgets a gap whose transaction rolled back once the gap timeout passes", async () => {
    const r = await receiver();
    await createWebhook(h.ctx, { url: r.url, event_types: ["test.*"] }, ADMIN);
    const slow = new pg.Client({ connectionString: h.db.url });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      await slow.query(`INSERT INTO events (at, type, payload) VALUES (now(), 'test.lost', '{}')`);
      await inTransaction(h.ctx, (tx, at) => recordEvent(tx, { at, type: "test.kept" }));
      await sweepEventsToDeliveries(h.ctx);
      await slow.query("ROLLBACK");
    } finally {
      await slow.end();
    }
    let cursor = await h.db.prisma.webhookCursor.findUnique({ where: { name: "outbound" } });
    expect(cursor?.gaps).toHaveLength(1);
    h.clock.advance(5 * 60_000);
    await sweepEventsToDeliveries(h.ctx);
    cursor = await h.db.prisma.webhookCursor.findUnique({ where: { name: "outbound" } });
    expect(cursor?.gaps).toEqual([]);
  });

  it("filters by event type; disabled subscriptions and events before a subscription get nothing", async () => {
    const r = await receiver();
    const early = await newTask(h.ctx);
    const { webhook: completions } = await createWebhook(
      h.ctx,
      { url: r.url, event_types: ["task.completed"] },
      ADMIN,
    );
    const { webhook: off } = await createWebhook(
      h.ctx,
      { url: r.url, event_types: ["*"], enabled: false },
      ADMIN,
    );
    await finish(early.id, "CANCELLED");
    const task = await newTask(h.ctx);
    await finish(task.id);
    await sweepEventsToDeliveries(h.ctx);
    const log = await listDeliveries(h.ctx, completions.id, {});
    expect(log.deliveries.map((d) => d.event_type)).toEqual(["task.completed"]);
    expect(log.deliveries[0]?.payload).toMatchObject({ data: { task: { id: task.id } } });
    expect((await listDeliveries(h.ctx, off.id, {})).deliveries).toEqual([]);

    // Enabled again: it hears what happens from then on.
    await updateWebhook(h.ctx, off.id, { enabled: true }, ADMIN);
    const later = await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    const offLog = await listDeliveries(h.ctx, off.id, {});
    expect(
      offLog.deliveries.every(
        (d) => (d.payload as { data: { task: { id: string } } }).data.task.id === later.id,
      ),
    ).toBe(true);
  });

  it("delivers escalations with the seed's escalation record", async () => {
    const r = await receiver();
    const { webhook } = await createWebhook(h.ctx, { url: r.url, event_types: ["escalation.*"] }, ADMIN);
    const task = await newTask(h.ctx);
    await inTransaction(h.ctx, async (tx, at) => {
      await tx.escalation.create({
        data: {
          id: "ESC-test-1",
          taskId: task.id,
          reason: "blocked_over_24h",
          urgency: "high",
          context: { current_state: "BLOCKED", blocker: "Attente validation client" },
          suggestedAction: "Contacter le client directement",
          escalatedTo: "account_manager",
          deadline: new Date(at.getTime() + 3_600_000),
          openKey: `${task.id}:blocked_over_24h`,
          createdAt: at,
        },
      });
      await recordEvent(tx, {
        at,
        type: "escalation.raised",
        taskId: task.id,
        payload: { escalation_id: "ESC-test-1", reason: "blocked_over_24h" },
      });
    });
    await sweepEventsToDeliveries(h.ctx);
    const [delivery] = (await listDeliveries(h.ctx, webhook.id, {})).deliveries;
    expect(delivery?.event_type).toBe("escalation.raised");
    expect(delivery?.payload).toMatchObject({
      type: "escalation.raised",
      data: {
        escalation: {
          id: "ESC-test-1",
          status: "OPEN",
          task_id: task.id,
          reason: "blocked_over_24h",
          urgency: "high",
          suggested_action: "Contacter le client directement",
          escalated_to: "account_manager",
        },
        task: { id: task.id },
      },
    });
  });

  it("sends a signed webhook.test now and logs it", async () => {
    const r = await receiver();
    const { webhook, secret } = await createWebhook(h.ctx, { url: r.url }, ADMIN);
    const delivery = await sendTestWebhook(h.ctx, webhook.id, ADMIN);
    expect(delivery).toMatchObject({
      status: "succeeded",
      attempts: 1,
      event_type: "webhook.test",
      event_id: null,
    });
    const [req] = await r.waitFor(1);
    const message = new Webhook(secret as string).verify(req?.body ?? "", {
      "webhook-id": String(req?.headers["webhook-id"]),
      "webhook-timestamp": String(req?.headers["webhook-timestamp"]),
      "webhook-signature": String(req?.headers["webhook-signature"]),
    });
    expect(message).toMatchObject({ type: "webhook.test", data: { webhook_id: webhook.id } });
    expect(req?.headers["webhook-id"]).toBe(delivery.id);

    r.fallback = 500;
    expect(await sendTestWebhook(h.ctx, webhook.id, ADMIN)).toMatchObject({
      status: "failed",
      last_status_code: 500,
    });
  });
});

describe("client-intake notifications", () => {
  it("notifies client-intake, signed, when a task from an intake completes or is escalated", async () => {
    const r = await receiver();
    const secret = "client-intake-shared-secret";
    expect(await syncClientIntakeSubscription(h.ctx, { url: r.url, secret })).toBe(true);
    expect(await syncClientIntakeSubscription(h.ctx, { url: r.url, secret })).toBe(true); // idempotent
    expect(await h.db.prisma.webhookSubscription.count({ where: { kind: "client_intake" } })).toBe(1);

    const fromIntake = await newTask(h.ctx, { intake_id: "INK-2026-000777" });
    const manual = await newTask(h.ctx);
    await finish(fromIntake.id);
    await finish(manual.id);
    await inTransaction(h.ctx, async (tx, at) => {
      await tx.escalation.create({
        data: {
          id: "ESC-intake-1",
          taskId: fromIntake.id,
          reason: "sla_breach_imminent",
          urgency: "critical",
          context: {},
          suggestedAction: "Prévenir le client",
          escalatedTo: "account_manager",
          deadline: at,
          createdAt: at,
        },
      });
      await recordEvent(tx, {
        at,
        type: "escalation.opened",
        taskId: fromIntake.id,
        payload: { escalation_id: "ESC-intake-1" },
      });
    });
    await sweepEventsToDeliveries(h.ctx);
    expect(await worker().runOnce()).toMatchObject({ claimed: 2, succeeded: 2 });

    const requests = await r.waitFor(2);
    const messages = requests.map(
      (req) =>
        new Webhook(secret, { format: "raw" }).verify(req.body, {
          "webhook-id": String(req.headers["webhook-id"]),
          "webhook-timestamp": String(req.headers["webhook-timestamp"]),
          "webhook-signature": String(req.headers["webhook-signature"]),
        }) as { type: string; intake_id: string; task: { id: string }; escalation?: { id: string } },
    );
    messages.sort((x, y) => x.type.localeCompare(y.type));
    expect(messages.map((m) => [m.type, m.intake_id, m.task.id])).toEqual([
      ["task.completed", "INK-2026-000777", fromIntake.id],
      ["task.escalated", "INK-2026-000777", fromIntake.id],
    ]);
    expect(messages[1]?.escalation?.id).toBe("ESC-intake-1");

    // The notifier is managed by the environment, not the API.
    await expect(updateWebhook(h.ctx, CLIENT_INTAKE_ID, { enabled: false }, ADMIN)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await syncClientIntakeSubscription(h.ctx, {})).toBe(false);
    const row = await h.db.prisma.webhookSubscription.findUnique({ where: { id: CLIENT_INTAKE_ID } });
    expect(row?.enabled).toBe(false);
  });
});
