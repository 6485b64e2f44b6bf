import { describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { serverOnDatabase } from "./server-on-database";
import { adminHeaders } from "./server-process";

// Every task endpoint over real HTTP against the real server on PostgreSQL: happy path and errors.

interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields: { path: string }[];
    allowed?: string[];
    current?: SeedTask;
  };
}

describe("task endpoints", () => {
  const own = serverOnDatabase();

  async function call<T = { task: SeedTask }>(
    method: string,
    path: string,
    body?: unknown,
    headers = adminHeaders(),
  ) {
    const response = await fetch(`${own.server.url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as T };
  }

  const create = async (title: string, extra: Record<string, unknown> = {}) =>
    (await call("POST", "/api/v1/tasks", { definition: { title }, queue: { name: "normal" }, ...extra })).body
      .task;

  it("lists with filters and a stable cursor", async () => {
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await create(`Listed ${i}`, { context: { client: { name: i % 2 ? "Odd Co" : "Even Co" } } }));
    const page1 = await call<{ tasks: SeedTask[]; next_cursor: string }>(
      "GET",
      "/api/v1/tasks?q=Listed&limit=2",
    );
    expect(page1.status).toBe(200);
    expect(page1.body.tasks.map((t) => t.definition.title)).toEqual(["Listed 4", "Listed 3"]);
    const page2 = await call<{ tasks: SeedTask[]; next_cursor: string | null }>(
      "GET",
      `/api/v1/tasks?q=Listed&limit=2&cursor=${page1.body.next_cursor}`,
    );
    expect(page2.body.tasks.map((t) => t.definition.title)).toEqual(["Listed 2", "Listed 1"]);
    const page3 = await call<{ tasks: SeedTask[]; next_cursor: string | null }>(
      "GET",
      `/api/v1/tasks?q=Listed&limit=2&cursor=${page2.body.next_cursor}`,
    );
    expect(page3.body.tasks.map((t) => t.definition.title)).toEqual(["Listed 0"]);
    expect(page3.body.next_cursor).toBeNull();

    const odd = await call<{ tasks: SeedTask[] }>(
      "GET",
      "/api/v1/tasks?client=odd co&state=QUEUED,IN_PROGRESS",
    );
    expect(odd.body.tasks.map((t) => t.definition.title).sort()).toEqual(["Listed 1", "Listed 3"]);
    expect(made).toHaveLength(5);
  });

  it("returns the tasks named by ids, with the other filters, all on one page", async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await create(`By id ${i}`));
    const [a, b, c] = made.map((t) => t.id);
    type Page = { tasks: SeedTask[]; next_cursor: string | null };
    const picked = await call<Page>("GET", `/api/v1/tasks?ids=${c},${a},${a}`);
    expect(picked.status).toBe(200);
    expect([picked.body.tasks.map((t) => t.id), picked.body.next_cursor]).toEqual([[c, a], null]);
    const repeated = await call<Page>("GET", `/api/v1/tasks?ids=${a}&ids=${b}&state=QUEUED`);
    expect(repeated.body.tasks.map((t) => t.id)).toEqual([b, a]);
    expect((await call<Page>("GET", `/api/v1/tasks?ids=${a},${b}&state=COMPLETED`)).body.tasks).toEqual([]);
    const many = Array.from({ length: 60 }, (_, i) => `TASK-2020-${String(i).padStart(6, "0")}`);
    const wide = await call<Page>("GET", `/api/v1/tasks?ids=${[...many, a].join(",")}`);
    expect([wide.body.tasks.map((t) => t.id), wide.body.next_cursor]).toEqual([[a], null]);
  });

  it("refuses a bad ids filter with 400 naming ids, and the bad ids", async () => {
    const tooMany = Array.from({ length: 201 }, (_, i) => `TASK-2020-${String(i).padStart(6, "0")}`).join(
      ",",
    );
    const cases: [string, string][] = [
      ["ids=TASK-2026-000001,nope,TASK-1", "nope, TASK-1"],
      ["ids=,,", "at least one"],
      [`ids=${tooMany}`, "At most 200"],
      ["ids=task-2026-000001", "task-2026-000001"],
    ];
    for (const [query, says] of cases) {
      const { status, body } = await call<ErrorBody & { error: { fields: { message: string }[] } }>(
        "GET",
        `/api/v1/tasks?${query}`,
      );
      expect([status, body.error.code], query.slice(0, 40)).toEqual([400, "VALIDATION"]);
      expect(body.error.fields.map((f) => f.path)).toEqual(["ids"]);
      expect(body.error.fields[0]!.message).toContain(says);
    }
  });

  it("refuses bad list queries naming the parameter", async () => {
    for (const [query, field] of [
      ["state=DONE", "state.0"],
      ["queue=vip", "queue.0"],
      ["limit=0", "limit"],
      ["limit=abc", "limit"],
      ["cursor=xyz", "cursor"],
    ]) {
      const { status, body } = await call<ErrorBody>("GET", `/api/v1/tasks?${query}`);
      expect(status, query).toBe(400);
      expect(
        body.error.fields.map((f) => f.path),
        query,
      ).toContain(field);
    }
  });

  it("patches with the expected version and answers a stale one with 409 and the current task", async () => {
    const task = await create("Patch me");
    const ok = await call("PATCH", `/api/v1/tasks/${task.id}`, {
      expected_version: task.metadata.version,
      definition: { title: "Patched" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.task.definition.title).toBe("Patched");
    const stale = await call<ErrorBody>("PATCH", `/api/v1/tasks/${task.id}`, {
      expected_version: task.metadata.version,
      definition: { title: "Lost" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("STALE_VERSION");
    expect(stale.body.error.current?.definition.title).toBe("Patched");
    const missing = await call<ErrorBody>("PATCH", `/api/v1/tasks/${task.id}`, {
      definition: { title: "x" },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f) => f.path)).toContain("expected_version");
  });

  it("transitions along the table, refuses illegal ones listing the allowed, and reverts", async () => {
    const task = await create("Hold me");
    const held = await call("POST", `/api/v1/tasks/${task.id}/transition`, {
      to: "ON_HOLD",
      expected_version: task.metadata.version,
    });
    expect(held.status).toBe(200);
    expect(held.body.task.state.current).toBe("ON_HOLD");
    const illegal = await call<ErrorBody>("POST", `/api/v1/tasks/${task.id}/transition`, { to: "COMPLETED" });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe("ILLEGAL_TRANSITION");
    expect(illegal.body.error.allowed).toEqual(expect.arrayContaining(["QUEUED", "CANCELLED"]));
    const unknown = await call<ErrorBody>("POST", `/api/v1/tasks/${task.id}/transition`, { to: "DONE" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0]?.path).toBe("to");
    const reverted = await call("POST", `/api/v1/tasks/${task.id}/revert`, { reason: "held by mistake" });
    expect(reverted.status).toBe(200);
    expect(reverted.body.task.state.current).toBe("QUEUED");
    expect(reverted.body.task.state.history.map((h) => h.state)).toEqual([
      "CREATED",
      "QUEUED",
      "ON_HOLD",
      "QUEUED",
    ]);
  });

  it("reorders, bumps, scores and moves between queues", async () => {
    const a = await create("First", { queue: { name: "low_priority" }, priority: { score: 30 } });
    const b = await create("Second", { queue: { name: "low_priority" }, priority: { score: 20 } });
    const reordered = await call("POST", `/api/v1/tasks/${b.id}/reorder`, { before: a.id });
    expect(reordered.status).toBe(200);
    const waiting = await call<{ tasks: { id: string }[] }>("GET", "/api/v1/queues/low_priority/tasks");
    expect(waiting.body.tasks.map((t) => t.id)).toEqual([b.id, a.id]);
    const both = await call<ErrorBody>("POST", `/api/v1/tasks/${b.id}/reorder`, {
      before: a.id,
      after: a.id,
    });
    expect(both.status).toBe(400);

    const bumped = await call("POST", `/api/v1/tasks/${a.id}/bump`, {});
    expect(bumped.body.task.priority.score).toBe(40);
    expect(bumped.body.task.priority.factors).toContain("manual_bump");
    const scored = await call("POST", `/api/v1/tasks/${a.id}/score`, { score: 88 });
    expect(scored.body.task.priority.score).toBe(88);
    const outOfRange = await call<ErrorBody>("POST", `/api/v1/tasks/${a.id}/score`, { score: 101 });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.fields[0]?.path).toBe("score");

    const moved = await call("POST", `/api/v1/tasks/${a.id}/move`, { queue: "urgent" });
    expect(moved.status).toBe(200);
    expect(moved.body.task.queue.name).toBe("urgent");
    const badQueue = await call<ErrorBody>("POST", `/api/v1/tasks/${a.id}/move`, { queue: "vip" });
    expect(badQueue.status).toBe(400);
  });

  it("adds and removes dependencies, refusing cycles and self-dependencies", async () => {
    const a = await create("Blocker");
    const b = await create("Dependent");
    const added = await call("POST", `/api/v1/tasks/${b.id}/dependencies`, { blocker_id: a.id });
    expect(added.status).toBe(201);
    expect(added.body.task.dependencies.blocked_by).toEqual([a.id]);
    const cycle = await call<ErrorBody>("POST", `/api/v1/tasks/${a.id}/dependencies`, { blocker_id: b.id });
    expect(cycle.status).toBe(409);
    expect(cycle.body.error.code).toBe("DEPENDENCY_CONFLICT");
    const self = await call<ErrorBody>("POST", `/api/v1/tasks/${a.id}/dependencies`, { blocker_id: a.id });
    expect(self.status).toBe(409);
    const removed = await call("DELETE", `/api/v1/tasks/${b.id}/dependencies/${a.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.task.dependencies.blocked_by).toEqual([]);
  });

  it("creates and lists subtasks", async () => {
    const parent = await create("Parent");
    const child = await call("POST", `/api/v1/tasks/${parent.id}/subtasks`, {
      definition: { title: "Child" },
    });
    expect(child.status).toBe(201);
    expect(child.body.task.dependencies.parent_task).toBe(parent.id);
    const list = await call<{ tasks: SeedTask[] }>("GET", `/api/v1/tasks/${parent.id}/subtasks`);
    expect(list.body.tasks.map((t) => t.id)).toEqual([child.body.task.id]);
    expect((await call("GET", "/api/v1/tasks/TASK-2000-000001/subtasks")).status).toBe(404);
  });

  it("instantiates the seed's template as one chain", async () => {
    const templates = await call<{ templates: { id: string }[] }>("GET", "/api/v1/templates");
    expect(templates.body.templates.map((t) => t.id)).toContain("ecommerce-redesign");
    const chain = await call<{ tasks: SeedTask[] }>(
      "POST",
      "/api/v1/templates/ecommerce-redesign/instantiate",
      {
        intake_id: "INK-2026-000777",
        context: { client: { name: "StartupIO", contact: "Marie Martin" } },
      },
    );
    expect(chain.status).toBe(201);
    const [brief, scoping, architecture] = chain.body.tasks;
    expect(brief?.definition.skill_target).toBe("project-management");
    expect(scoping?.dependencies.blocked_by).toEqual([brief?.id]);
    expect(architecture?.dependencies.blocked_by).toEqual([scoping?.id]);
    expect((await call("POST", "/api/v1/templates/nope/instantiate", {})).status).toBe(404);
  });

  it("shows queues with live counts", async () => {
    // A dispatched task (the engine does not run in this server: put it there directly).
    const dispatched = await create("Dispatched", { queue: { name: "urgent" } });
    await own.db.prisma.task.update({ where: { id: dispatched.id }, data: { state: "SCHEDULED" } });
    await create("Waiting", { queue: { name: "normal" } }); // one waiting, whatever ran before
    const { status, body } = await call<{
      queues: {
        name: string;
        capacity: number | null;
        waiting: number;
        scheduled: number;
        in_progress: number;
      }[];
    }>("GET", "/api/v1/queues");
    expect(body.queues.find((q) => q.name === "urgent")).toMatchObject({ scheduled: 1, in_progress: 0 });
    expect(body.queues.every((q) => Number.isInteger(q.scheduled))).toBe(true);
    expect(status).toBe(200);
    expect(body.queues.map((q) => q.name)).toEqual([
      "critical",
      "urgent",
      "high_priority",
      "normal",
      "low_priority",
      "backlog",
      "scheduled",
    ]);
    expect(body.queues.find((q) => q.name === "critical")?.capacity).toBe(3);
    expect(body.queues.find((q) => q.name === "normal")?.waiting).toBeGreaterThan(0);
    expect((await call("GET", "/api/v1/queues/vip/tasks")).status).toBe(400);
  });

  it("answers 404 for an unknown task on every command", async () => {
    const id = "TASK-2000-000001";
    expect(
      (await call("PATCH", `/api/v1/tasks/${id}`, { expected_version: 1, definition: { title: "x" } }))
        .status,
    ).toBe(404);
    expect((await call("POST", `/api/v1/tasks/${id}/transition`, { to: "ON_HOLD" })).status).toBe(404);
    expect((await call("POST", `/api/v1/tasks/${id}/bump`, {})).status).toBe(404);
  });
});
