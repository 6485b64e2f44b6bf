import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";

// Idempotency-Key on creating and commanding POSTs, over real HTTP with two server processes on
// one database: a retry (even to the other instance, even concurrent) replays the first answer
// and applies nothing twice.

describe("Idempotency-Key", () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    [a, b] = await Promise.all([
      startServer({ DATABASE_URL: db.url, API_RATE_LIMIT_PER_MINUTE: "100000" }),
      startServer({ DATABASE_URL: db.url, API_RATE_LIMIT_PER_MINUTE: "100000" }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  const post = (server: RunningServer, path: string, body: unknown, key?: string) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: adminHeaders({
        "content-type": "application/json",
        ...(key ? { "idempotency-key": key } : {}),
      }),
      body: JSON.stringify(body),
    });
  const newTask = (title: string) => ({
    definition: { title, type: "development", skill_target: "backend" },
    queue: { name: "normal" },
  });
  const tasksTitled = (title: string) => db.prisma.task.count({ where: { title } });

  it("creates once and replays the first answer on a retry, on either instance", async () => {
    const first = await post(a, "/api/v1/tasks", newTask("once"), "create-once-1");
    expect(first.status).toBe(201);
    const created = (await first.json()) as { task: { id: string } };
    const again = await post(b, "/api/v1/tasks", newTask("once"), "create-once-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { task: { id: string } }).task.id).toBe(created.task.id);
    expect(await tasksTitled("once")).toBe(1);
    // Without a key, the same body is a new task.
    expect((await post(a, "/api/v1/tasks", newTask("once"))).status).toBe(201);
    expect(await tasksTitled("once")).toBe(2);
  });

  it("applies concurrent retries with one key exactly once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(i % 2 ? a : b, "/api/v1/tasks", newTask("racing"), "race-1")),
    );
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      String(statuses),
    ).toBe(true);
    expect(statuses).toContain(201);
    for (const r of answers.filter((r) => r.status === 409)) {
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("IDEMPOTENCY_IN_PROGRESS");
    }
    expect(await tasksTitled("racing")).toBe(1);
  });

  it("refuses a key reused with another request with 422", async () => {
    expect((await post(a, "/api/v1/tasks", newTask("first use"), "reused-1")).status).toBe(201);
    const reused = await post(b, "/api/v1/tasks", newTask("second use"), "reused-1");
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ error: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(await tasksTitled("second use")).toBe(0);
  });

  it("replays commands: a retried transition is not applied (nor refused) twice", async () => {
    const created = (await (await post(a, "/api/v1/tasks", newTask("held"))).json()) as {
      task: { id: string };
    };
    const path = `/api/v1/tasks/${created.task.id}/transition`;
    const hold = { to: "ON_HOLD", reason: "waiting for the client" };
    const first = await post(a, path, hold, "hold-1");
    expect(first.status).toBe(200);
    const retry = await post(b, path, hold, "hold-1");
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(
      await db.prisma.taskStateHistory.count({ where: { taskId: created.task.id, state: "ON_HOLD" } }),
    ).toBe(1);
    // The same command without the key is a second attempt, refused by the state machine.
    expect((await post(a, path, hold)).status).toBe(409);
  });

  it("replays a bulk inbox action: a retried bulk acknowledge reports what the first one did", async () => {
    const created = (await (await post(a, "/api/v1/tasks", newTask("escalated"))).json()) as {
      task: { id: string };
    };
    const at = new Date();
    const ids = [randomUUID(), randomUUID()].map((uuid) => `ESC-${uuid}`);
    await db.prisma.escalation.createMany({
      data: ids.map((id, i) => ({
        id,
        taskId: created.task.id,
        reason: i ? "dependency_conflict" : "unrecoverable_error",
        urgency: "high",
        suggestedAction: "Look at it",
        escalatedTo: "operators",
        deadline: new Date(at.getTime() + 3_600_000),
        openKey: `${created.task.id}:${i ? "dependency_conflict" : "unrecoverable_error"}`,
        createdAt: at,
      })),
    });
    const body = { ids, action: { action: "acknowledge" } };
    const first = await post(a, "/api/v1/escalations/bulk-actions", body, "bulk-ack-1");
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({ results: ids.map((id) => ({ id, ok: true })) });
    // Without the key, the same acknowledge is refused per id: they are acknowledged already.
    const plain = (await (await post(b, "/api/v1/escalations/bulk-actions", body)).json()) as {
      results: { ok: boolean }[];
    };
    expect(plain.results.map((r) => r.ok)).toEqual([false, false]);
    // With the key, the retry replays the first answer instead.
    const retry = await post(b, "/api/v1/escalations/bulk-actions", body, "bulk-ack-1");
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(firstBody);
    expect(
      await db.prisma.auditLog.count({
        where: { taskId: created.task.id, action: "escalation.acknowledged" },
      }),
    ).toBe(2);
  });

  it("records nothing for a refused request, so a corrected retry with the key runs", async () => {
    const bad = await post(
      a,
      "/api/v1/tasks",
      { definition: { title: "" }, queue: { name: "normal" } },
      "fix-1",
    );
    expect(bad.status).toBe(400);
    expect((await post(a, "/api/v1/tasks", newTask("fixed"), "fix-1")).status).toBe(201);
    expect(await tasksTitled("fixed")).toBe(1);
  });

  it("validates the key", async () => {
    const response = await post(a, "/api/v1/tasks", newTask("bad key"), "no spaces allowed");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { fields: [{ path: "Idempotency-Key" }] } });
  });
});
