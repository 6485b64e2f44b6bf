import { describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { serverOnDatabase } from "./server-on-database";
import { adminHeaders } from "./server-process";

// The create-task API over real HTTP against the real server on a PostgreSQL database.

describe("POST /api/v1/tasks", () => {
  const own = serverOnDatabase();

  const post = (body: string, contentType = "application/json") =>
    fetch(`${own.server.url}/api/v1/tasks`, {
      method: "POST",
      headers: adminHeaders({ "content-type": contentType }),
      body,
    });

  async function rowCounts() {
    const [tasks, history, audit, events] = await Promise.all([
      own.db.prisma.task.count(),
      own.db.prisma.taskStateHistory.count(),
      own.db.prisma.auditLog.count(),
      own.db.prisma.event.count(),
    ]);
    return { tasks, history, audit, events };
  }

  it("creates a task QUEUED via CREATED in the seed format", async () => {
    const response = await post(
      JSON.stringify({ definition: { title: "Brief analysis" }, queue: { name: "high_priority" } }),
    );
    expect(response.status).toBe(201);
    const { task } = (await response.json()) as { task: SeedTask };
    expect(task.id).toMatch(/^TASK-\d{4}-\d{6}$/);
    expect(task.state.current).toBe("QUEUED");
    expect(task.state.previous).toBe("CREATED");
    expect(task.state.history.map((h) => h.state)).toEqual(["CREATED", "QUEUED"]);
    expect(task.queue.name).toBe("high_priority");
    const entered = new Date(task.queue.entered_at).getTime();
    expect(new Date(task.queue.sla_deadline!).getTime() - entered).toBe(8 * 3_600_000);
    expect(task.metadata.version).toBe(2);

    const fetched = await fetch(`${own.server.url}/api/v1/tasks/${task.id}`, { headers: adminHeaders() });
    expect(((await fetched.json()) as { task: SeedTask }).task).toEqual(task);
  });

  const badBodies: [string, string, number, string][] = [
    [
      "an empty title",
      JSON.stringify({ definition: { title: "  " }, queue: { name: "normal" } }),
      400,
      "definition.title",
    ],
    [
      "an over-long title",
      JSON.stringify({ definition: { title: "x".repeat(201) } }),
      400,
      "definition.title",
    ],
    ["a missing definition", JSON.stringify({ queue: { name: "normal" } }), 400, "definition"],
    [
      "an unknown queue",
      JSON.stringify({ definition: { title: "ok" }, queue: { name: "vip" } }),
      400,
      "queue.name",
    ],
    ["a wrongly typed title", JSON.stringify({ definition: { title: 42 } }), 400, "definition.title"],
    ["malformed JSON", '{"definition": {"title": "x"', 400, "(body)"],
    ["a JSON array", "[]", 400, "(body)"],
  ];

  it.each(badBodies)(
    "refuses %s, naming the field and writing nothing",
    async (_name, body, status, path) => {
      const before = await rowCounts();
      const response = await post(body);
      expect(response.status).toBe(status);
      const { error } = (await response.json()) as {
        error: { code: string; message: string; fields: { path: string }[] };
      };
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.fields.map((f) => f.path)).toContain(path);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it("refuses another content type with 415 and an oversized body with 413", async () => {
    expect((await post("title=x", "application/x-www-form-urlencoded")).status).toBe(415);
    const huge = JSON.stringify({ definition: { title: "x", description: "y".repeat(1_100_000) } });
    expect((await post(huge)).status).toBe(413);
  });

  it("answers 404 with the error format for an unknown task", async () => {
    const response = await fetch(`${own.server.url}/api/v1/tasks/TASK-1999-000001`, {
      headers: adminHeaders(),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("reports the database in the health check", async () => {
    const health = await (await fetch(`${own.server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", database: "postgres" });
  });
});
