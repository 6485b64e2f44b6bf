import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";

interface IntakeAnswer {
  intake_id: string;
  replayed: boolean;
  tasks: SeedTask[];
}

const worked = (intakeId: string) => ({
  intake_id: intakeId,
  client: { name: "StartupIO", contact: "Marie Martin" },
  project: { type: "ecommerce", budget_range: "15k-25k", deadline: "2027-06-30" },
  request: "Refonte site e-commerce, budget 20k€, deadline juin",
  template: "ecommerce-redesign",
});

describe("POST /api/v1/intake", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let intakeKey: string;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 4 });
    server = await startServer({ DATABASE_URL: db.url });
    const created = await fetch(`${server.url}/api/v1/api-keys`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ name: "client-intake", scopes: ["intake"] }),
    });
    intakeKey = ((await created.json()) as { key: string }).key;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const submit = (body: unknown, idempotencyKey?: string) =>
    fetch(`${server.url}/api/v1/intake`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${intakeKey}`,
        "content-type": "application/json",
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });

  it("creates the seed's worked example chain from a qualified request", async () => {
    const response = await submit(worked("INK-2026-000001"));
    expect(response.status).toBe(201);
    const answer = (await response.json()) as IntakeAnswer;
    expect(answer.replayed).toBe(false);
    expect(answer.tasks.map((t) => t.definition.title)).toEqual([
      "Brief analysis",
      "Tech scoping",
      "Architecture",
    ]);
    expect(
      answer.tasks.every((t) => t.intake_id === "INK-2026-000001" && t.context.client.name === "StartupIO"),
    ).toBe(true);
    expect(answer.tasks[0]?.queue.name).toBe("high_priority");
    expect(answer.tasks[0]?.metadata.updated_by).toBe("api-key:client-intake");
  });

  it("answers a retry of the same intake_id with the same tasks and creates nothing", async () => {
    const first = await submit(worked("INK-2026-000002"));
    expect(first.status).toBe(201);
    const original = (await first.json()) as IntakeAnswer;
    const before = await db.prisma.task.count();
    const response = await submit(worked("INK-2026-000002"));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as IntakeAnswer;
    expect(answer.replayed).toBe(true);
    expect(answer.tasks.map((t) => t.id)).toEqual(original.tasks.map((t) => t.id));
    expect(await db.prisma.task.count()).toBe(before);
  });

  it("turns 20 concurrent retries of one request into one task chain", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => submit(worked("INK-2026-000020"), "retry-key-20")),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const answers = (await Promise.all(responses.map((r) => r.json()))) as IntakeAnswer[];
    const chains = new Set(answers.map((a) => a.tasks.map((t) => t.id).join(",")));
    expect(chains.size).toBe(1);
    expect(await db.prisma.task.count({ where: { intakeId: "INK-2026-000020" } })).toBe(3);
  });

  it("refuses an Idempotency-Key reused with another body, writing nothing", async () => {
    expect((await submit(worked("INK-2026-000030"), "key-30")).status).toBe(201);
    const before = await db.prisma.task.count();
    const reused = await submit(worked("INK-2026-000031"), "key-30");
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe(
      "Idempotency-Key",
    );
    expect(await db.prisma.task.count()).toBe(before);
  });

  it("creates a single task with the client's words", async () => {
    const response = await submit({
      intake_id: "INK-2026-000040",
      client: { name: "Boulangerie Dupont" },
      request: "Le site est lent le matin",
      task: {
        definition: { title: "Performance audit", skill_target: "web-dev-process" },
        queue: { name: "normal" },
      },
    });
    expect(response.status).toBe(201);
    const [task] = ((await response.json()) as IntakeAnswer).tasks;
    expect(task?.definition.description).toContain("Le site est lent le matin");
    expect(task?.context.client.name).toBe("Boulangerie Dupont");
  });

  it("refuses bad requests naming the field, and other scopes", async () => {
    const cases: [unknown, string][] = [
      [{ ...worked("INK-1"), intake_id: "X-1" }, "intake_id"],
      [{ ...worked("INK-2"), template: undefined }, "template"],
      [{ ...worked("INK-3"), task: { definition: { title: "x" } } }, "template"],
      [{ ...worked("INK-4"), client: {} }, "client.name"],
    ];
    for (const [body, field] of cases) {
      const response = await submit(body);
      expect(response.status, field).toBe(400);
      expect(
        ((await response.json()) as { error: { fields: { path: string }[] } }).error.fields.map(
          (f) => f.path,
        ),
      ).toContain(field);
    }
    expect((await submit(worked("INK-2026-000050"), "bad key with spaces")).status).toBe(400);
    expect((await submit({ ...worked("INK-2026-000051"), template: "nope" })).status).toBe(404);
    expect(await db.prisma.task.count({ where: { intakeId: "INK-2026-000051" } })).toBe(0);
  });
});
