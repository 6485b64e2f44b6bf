import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import {
  type ReceivedRequest,
  type Receiver,
  startReceiver,
} from "@/server/engine/integrations/test-receiver";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";
import { waitFor } from "./wait-for";

// End to end through the real server (production build, server/main.ts): a subscription made
// through the API, a task created through the API, and the signed delivery arriving at a real
// receiver, verified with the Standard Webhooks reference library; then an inbound signed
// webhook creating a task, which is delivered in turn; and a failed delivery resent by an admin.

function verify(secret: string, request: ReceivedRequest) {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  }) as { type: string; timestamp: string; data: { task: SeedTask } };
}

describe("webhooks end to end", () => {
  let db: TestDatabase;
  let server: RunningServer;
  // Each test has its own receiver and subscription, so none depends on another's deliveries.
  let receiver: Receiver;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 4 });
    // The dispatcher stays off so the only changes are the ones this test makes.
    server = await startServer({ DATABASE_URL: db.url, ORCHESTRATOR_ENGINE: "0" });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  beforeEach(async () => {
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await receiver?.close();
  });

  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: adminHeaders(init.body === undefined ? {} : { "content-type": "application/json" }),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  it("delivers a signed task.created to a subscription made through the API", async () => {
    const bad = await api("/api/v1/webhooks", { body: { url: "ftp://example.com/hook" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe(
      "url",
    );

    const made = await api("/api/v1/webhooks", {
      body: { url: receiver.url, name: "e2e", event_types: ["task.created", "task.edited"] },
    });
    expect(made.status).toBe(201);
    const { webhook, secret } = (await made.json()) as { webhook: { id: string }; secret: string };

    const created = await api("/api/v1/tasks", {
      body: { definition: { title: "Webhook end to end", type: "analysis" }, queue: { name: "normal" } },
    });
    expect(created.status).toBe(201);
    const { task } = (await created.json()) as { task: SeedTask };

    const [request] = await receiver.waitFor(1, 15_000);
    expect(request?.headers["user-agent"]).toBe("task-orchestrator-webhooks/1");
    const message = verify(secret, request as ReceivedRequest);
    expect(message.type).toBe("task.created");
    expect(message.data.task).toMatchObject({ id: task.id, definition: { title: "Webhook end to end" } });

    // The delivery log says so too.
    type Delivery = { status: string; attempts: number; last_status_code: number | null };
    const deliveries = await waitFor("the delivery logged as succeeded", async () => {
      const log = await api(`/api/v1/webhooks/${webhook.id}/deliveries`);
      const listed = ((await log.json()) as { deliveries: Delivery[] }).deliveries;
      return listed[0]?.status === "succeeded" && listed;
    });
    expect(deliveries).toEqual([
      expect.objectContaining({ status: "succeeded", attempts: 1, last_status_code: 200 }),
    ]);

    const tested = await api(`/api/v1/webhooks/${webhook.id}/test`, { method: "POST" });
    expect(tested.status).toBe(200);
    const [, testRequest] = await receiver.waitFor(2);
    expect(verify(secret, testRequest as ReceivedRequest).type).toBe("webhook.test");
  }, 60_000);

  it("creates a task from a signed inbound webhook (401 unsigned, 200 replay), delivered onwards", async () => {
    const onward = await api("/api/v1/webhooks", {
      body: { url: receiver.url, name: "onwards", event_types: ["task.created"] },
    });
    expect(onward.status).toBe(201);
    const made = await api("/api/v1/webhooks/sources", {
      body: { name: "monitoring", default_queue: "urgent" },
    });
    expect(made.status).toBe(201);
    const { secret } = (await made.json()) as { secret: string };
    const body = JSON.stringify({ type: "task.create", data: { definition: { title: "Disk 95% on db-2" } } });
    const at = new Date();
    const headers = {
      "content-type": "application/json",
      "webhook-id": "msg_e2e_inbound_1",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_e2e_inbound_1", at, body),
    };
    const post = (h: Record<string, string>) =>
      fetch(`${server.url}/api/v1/webhooks/inbound/monitoring`, { method: "POST", headers: h, body });

    expect((await post({ "content-type": "application/json" })).status).toBe(401);
    const first = await post(headers);
    expect(first.status).toBe(201);
    const answer = (await first.json()) as { tasks: SeedTask[] };
    expect(answer.tasks[0]).toMatchObject({
      queue: { name: "urgent" },
      metadata: { updated_by: "webhook:monitoring" },
    });
    const replay = await post(headers);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { tasks: SeedTask[] }).tasks[0]?.id).toBe(answer.tasks[0]?.id);

    const delivered = await waitFor(
      "the inbound task delivered onwards",
      () =>
        receiver.requests
          .map((r) => JSON.parse(r.body) as { type: string; data: { task: SeedTask } })
          .find((m) => m.data.task?.id === answer.tasks[0]?.id),
      15_000,
    );
    expect(delivered.type).toBe("task.created");
  }, 60_000);

  it("resends a failed delivery through the API as a new signed attempt; refuses bad, unknown and non-admin calls", async () => {
    const made = await api("/api/v1/webhooks", { body: { url: receiver.url, event_types: ["nothing.*"] } });
    const { webhook, secret } = (await made.json()) as { webhook: { id: string }; secret: string };
    receiver.script(500);
    const tested = await api(`/api/v1/webhooks/${webhook.id}/test`, { method: "POST" });
    const { delivery } = (await tested.json()) as { delivery: { id: string; status: string } };
    expect(delivery.status).toBe("failed");
    const before = receiver.requests.length;

    const base = `/api/v1/webhooks/${webhook.id}/deliveries`;
    const resent = await api(`${base}/${delivery.id}/redeliver`, { method: "POST" });
    expect(resent.status).toBe(200);
    const answer = (await resent.json()) as {
      delivery: {
        status: string;
        attempts: number;
        attempt_log: { attempt: number; trigger: string; status_code: number | null }[];
      };
      attempt: { attempt: number; trigger: string; status_code: number | null };
    };
    expect(answer.attempt).toMatchObject({ attempt: 2, trigger: "manual", status_code: 200 });
    expect(answer.delivery).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(answer.delivery.attempt_log.map((a) => [a.attempt, a.trigger, a.status_code])).toEqual([
      [1, "test", 500],
      [2, "manual", 200],
    ]);
    const requests = await receiver.waitFor(before + 1);
    const request = requests[before] as ReceivedRequest;
    expect(request.headers["webhook-id"]).toBe(delivery.id);
    expect(verify(secret, request).type).toBe("webhook.test");

    const detail = await api(`${base}/${delivery.id}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as typeof answer).delivery.attempt_log).toHaveLength(2);

    const bad = await api(`${base}/not-a-delivery/redeliver`, { method: "POST" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe(
      "deliveryId",
    );
    const unknown = await api(`${base}/msg_${"a".repeat(32)}/redeliver`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /has no delivery msg_a+/,
    );

    const key = (await (
      await api("/api/v1/api-keys", { body: { name: "reader", scopes: ["read"] } })
    ).json()) as { key: string };
    const refused = await fetch(`${server.url}${base}/${delivery.id}/redeliver`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(refused.status).toBe(403);
    expect(receiver.requests).toHaveLength(before + 1);
  }, 60_000);
});
