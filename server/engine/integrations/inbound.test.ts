import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { ADMIN, expectDomainError, setupEngine } from "../state/test-support";
import { createSource, receiveInbound, updateSource } from "./inbound";

// Inbound webhooks against a real PostgreSQL: the signature is the authentication, a webhook-id
// is processed once, and a refused message writes nothing.

const h = setupEngine({ poolSize: 8 });
let counter = 0;

function signed(secret: string, message: unknown, options: { id?: string; at?: Date; body?: string } = {}) {
  counter += 1;
  const id = options.id ?? `evt_${counter}`;
  const body = options.body ?? JSON.stringify(message);
  const at = options.at ?? new Date();
  const headers = new Headers({
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  });
  return { id, body, headers };
}

const taskMessage = (title: string, extra: Record<string, unknown> = {}) => ({
  type: "task.create",
  data: { definition: { title, type: "bug" }, ...extra },
});

async function counts() {
  const [tasks, audit, messages, events] = await Promise.all([
    h.db.prisma.task.count(),
    h.db.prisma.auditLog.count(),
    h.db.prisma.inboundWebhookMessage.count(),
    h.db.prisma.event.count(),
  ]);
  return { tasks, audit, messages, events };
}

describe("inbound webhooks", () => {
  it("creates a task from a correctly signed message, in the source's default queue", async () => {
    const { secret } = await createSource(h.ctx, { name: "monitoring", default_queue: "urgent" }, ADMIN);
    const { body, headers, id } = signed(secret as string, taskMessage("Disk full on web-1"));
    const result = await receiveInbound(h.ctx, "monitoring", body, headers);
    expect(result).toMatchObject({ status: 201, replayed: false, type: "task.create", messageId: id });
    expect(result.taskIds).toHaveLength(1);
    const task = await h.db.prisma.task.findUniqueOrThrow({ where: { id: result.taskIds[0] } });
    expect(task).toMatchObject({
      title: "Disk full on web-1",
      queueName: "urgent",
      state: "QUEUED",
      updatedBy: "webhook:monitoring",
    });
    const audit = await h.db.prisma.auditLog.findFirst({
      where: { action: "webhook.inbound_received", details: { path: ["webhook_id"], equals: id } },
    });
    expect(audit?.details).toMatchObject({ source: "monitoring", webhook_id: id, task_ids: result.taskIds });

    // A queue named in the message wins over the default.
    const named = signed(secret as string, taskMessage("Minor glitch", { queue: { name: "low_priority" } }));
    const second = await receiveInbound(h.ctx, "monitoring", named.body, named.headers);
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: second.taskIds[0] } })).queueName).toBe(
      "low_priority",
    );
  });

  it("refuses a bad, missing, foreign or stale signature with 401 and writes nothing", async () => {
    const { secret } = await createSource(h.ctx, { name: "crm" }, ADMIN);
    const other = await createSource(h.ctx, { name: "crm-other" }, ADMIN);
    const before = await counts();
    const good = signed(secret as string, taskMessage("From the CRM"));

    const tampered = good.body.replace("From the CRM", "From an attacker");
    await expectDomainError(receiveInbound(h.ctx, "crm", tampered, good.headers), "UNAUTHENTICATED");
    await expectDomainError(receiveInbound(h.ctx, "crm", good.body, new Headers()), "UNAUTHENTICATED");
    const foreign = signed(other.secret as string, taskMessage("From the CRM"));
    await expectDomainError(receiveInbound(h.ctx, "crm", foreign.body, foreign.headers), "UNAUTHENTICATED");
    const stale = signed(secret as string, taskMessage("From the CRM"), {
      at: new Date(Date.now() - 6 * 60_000),
    });
    await expectDomainError(receiveInbound(h.ctx, "crm", stale.body, stale.headers), "UNAUTHENTICATED");

    expect(await counts()).toEqual(before);
  });

  it("answers a replay with the first result and creates nothing twice, even concurrently", async () => {
    const { secret } = await createSource(h.ctx, { name: "erp" }, ADMIN);
    const message = signed(secret as string, taskMessage("Invoice sync failed"));
    const first = await receiveInbound(h.ctx, "erp", message.body, message.headers);
    const before = await counts();
    // The sender retries the same message (same webhook-id), re-signed later.
    const again = signed(secret as string, taskMessage("Invoice sync failed"), { id: message.id });
    const replay = await receiveInbound(h.ctx, "erp", again.body, again.headers);
    expect(replay).toMatchObject({ status: 200, replayed: true, taskIds: first.taskIds });
    expect(await counts()).toEqual(before);

    const burst = signed(secret as string, taskMessage("Burst"));
    const results = await Promise.all(
      Array.from({ length: 6 }, () => receiveInbound(h.ctx, "erp", burst.body, burst.headers)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.taskIds.join()))).toHaveProperty("size", 1);
    expect(await h.db.prisma.task.count({ where: { title: "Burst" } })).toBe(1);
  });

  it("404s an unknown or disabled source", async () => {
    const { secret } = await createSource(h.ctx, { name: "paused" }, ADMIN);
    const message = signed(secret as string, taskMessage("x"));
    await expectDomainError(receiveInbound(h.ctx, "nobody", message.body, message.headers), "NOT_FOUND");
    await updateSource(h.ctx, "paused", { enabled: false }, ADMIN);
    await expectDomainError(receiveInbound(h.ctx, "paused", message.body, message.headers), "NOT_FOUND");
  });

  it("names the bad field under data and writes nothing", async () => {
    const { secret } = await createSource(h.ctx, { name: "forms" }, ADMIN);
    const before = await counts();
    const noTitle = signed(secret as string, { type: "task.create", data: { definition: { title: "" } } });
    const error = await expectDomainError(
      receiveInbound(h.ctx, "forms", noTitle.body, noTitle.headers),
      "VALIDATION",
    );
    expect(error.details.fields?.map((f) => f.path)).toEqual(["data.definition.title"]);
    const badType = signed(secret as string, { type: "task.delete", data: {} });
    const typeError = await expectDomainError(
      receiveInbound(h.ctx, "forms", badType.body, badType.headers),
      "VALIDATION",
    );
    expect(typeError.details.fields?.map((f) => f.path)).toEqual(["type"]);
    const blocker = signed(
      secret as string,
      taskMessage("x", { dependencies: { blocked_by: ["TASK-1999-000001"] } }),
    );
    const refError = await expectDomainError(
      receiveInbound(h.ctx, "forms", blocker.body, blocker.headers),
      "VALIDATION",
    );
    expect(refError.details.fields?.map((f) => f.path)).toEqual(["data.dependencies.blocked_by.0"]);
    const malformed = signed(secret as string, null, { body: "{not json" });
    await expectDomainError(receiveInbound(h.ctx, "forms", malformed.body, malformed.headers), "VALIDATION");
    expect(await counts()).toEqual(before);
  });

  it("runs a client-intake request (type intake) like POST /intake, idempotent by intake_id", async () => {
    const { secret } = await createSource(h.ctx, { name: "partner" }, ADMIN);
    const request = {
      type: "intake",
      data: {
        intake_id: "INK-2026-000501",
        client: { name: "StartupIO" },
        project: { type: "ecommerce", budget_range: "15k-25k" },
        template: "ecommerce-redesign",
      },
    };
    const first = signed(secret as string, request);
    const result = await receiveInbound(h.ctx, "partner", first.body, first.headers);
    expect(result).toMatchObject({ status: 201, intakeId: "INK-2026-000501" });
    expect(result.taskIds).toHaveLength(3);
    // Another message (new webhook-id) for the same intake: the same tasks, nothing new.
    const other = signed(secret as string, request);
    const repeat = await receiveInbound(h.ctx, "partner", other.body, other.headers);
    expect(repeat).toMatchObject({ status: 200, replayed: true, taskIds: result.taskIds });
    expect(await h.db.prisma.task.count({ where: { intakeId: "INK-2026-000501" } })).toBe(3);
  });

  it("instantiates the source's template on an instantiate_template source", async () => {
    await expectDomainError(
      createSource(h.ctx, { name: "bad", action: "instantiate_template" }, ADMIN),
      "VALIDATION",
    );
    const { secret } = await createSource(
      h.ctx,
      { name: "soc", action: "instantiate_template", template_id: "security-incident" },
      ADMIN,
    );
    const message = signed(secret as string, {
      type: "task.create",
      data: { context: { client: { name: "Acme" } } },
    });
    const result = await receiveInbound(h.ctx, "soc", message.body, message.headers);
    const tasks = await h.db.prisma.task.findMany({
      where: { id: { in: result.taskIds } },
      orderBy: { id: "asc" },
    });
    expect(tasks.map((t) => [t.title, t.clientName])).toEqual([
      ["Security incident triage", "Acme"],
      ["Security fix", "Acme"],
      ["Incident post-mortem", "Acme"],
    ]);
  });
});
