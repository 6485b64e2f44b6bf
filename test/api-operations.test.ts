import { describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { serverOnDatabase } from "./server-on-database";

// The operations endpoints over real HTTP against the real server on PostgreSQL: metrics,
// reports, audit, the escalation inbox and schedules — happy paths and their errors.

interface ErrorBody {
  error: { code: string; fields: { path: string }[] };
}

describe("operations endpoints", () => {
  const own = serverOnDatabase({ poolSize: 3 });

  const call = <T>(method: string, path: string, body?: unknown) => own.call<T>(method, path, body);

  const createTask = async (title: string, extra: Record<string, unknown> = {}) =>
    (
      await call<{ task: SeedTask }>("POST", "/api/v1/tasks", {
        definition: { title },
        queue: { name: "normal" },
        ...extra,
      })
    ).body.task;

  it("serves the seven KPIs against their targets and refuses a bad window", async () => {
    await createTask("Measured");
    const { status, body } = await call<{
      overall: Record<string, { status: string }>;
      queues: unknown[];
      window: { days: number };
    }>("GET", "/api/v1/metrics");
    expect(status).toBe(200);
    expect(Object.keys(body.overall).sort()).toEqual([
      "blockedRate",
      "cycleTime",
      "errorRate",
      "queueTime",
      "retryRate",
      "slaCompliance",
      "throughput",
    ]);
    expect(body.queues).toHaveLength(7);
    // The last 7 days, from the start of that hour (metrics read hourly rollups: docs/scale.md).
    expect(body.window.days).toBeGreaterThanOrEqual(7);
    expect(body.window.days).toBeLessThanOrEqual(7 + 1 / 24);
    const bad = await call<ErrorBody>("GET", "/api/v1/metrics?from=2026-03-09&to=2026-03-01");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.path)).toContain("from");
  });

  it("downloads a report as CSV and as JSON", async () => {
    await createTask("Reported"); // a row for its queue, whatever ran before
    const csv = await call<never>("GET", "/api/v1/reports?group_by=queue&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    expect(csv.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toMatch(/^queue,from,to,tasks,/);
    const json = await call<{ rows: { group: string | null }[] }>(
      "GET",
      "/api/v1/reports?group_by=queue&format=json",
    );
    expect(json.body.rows.map((r) => r.group)).toContain("normal");
    expect((await call<ErrorBody>("GET", "/api/v1/reports?group_by=planet")).status).toBe(400);
  });

  it("searches the audit log by task with cursor pagination", async () => {
    const task = await createTask("Audited");
    await call("POST", `/api/v1/tasks/${task.id}/bump`, {});
    const first = await call<{ entries: { action: string }[]; nextCursor: string | null }>(
      "GET",
      `/api/v1/audit?task_id=${task.id}&limit=2`,
    );
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    const second = await call<{ entries: { action: string }[] }>(
      "GET",
      `/api/v1/audit?task_id=${task.id}&limit=2&cursor=${first.body.nextCursor}`,
    );
    const actions = [...first.body.entries, ...second.body.entries].map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["task.created", "task.queued"]));
    expect(new Set(actions).size).toBeGreaterThanOrEqual(3);
    expect((await call<ErrorBody>("GET", "/api/v1/audit?limit=500")).status).toBe(400);
  });

  it("works an escalation from the inbox: list, count, act, resolved", async () => {
    const blocker = await createTask("Blocker to cancel");
    const dependent = await createTask("Dependent", { dependencies: { blocked_by: [blocker.id] } });
    await call("POST", `/api/v1/tasks/${blocker.id}/transition`, {
      to: "CANCELLED",
      reason: "Client dropped it",
    });

    const list = await call<{
      escalations: { id: string; version: number; escalation: { task_id: string; reason: string } }[];
    }>("GET", "/api/v1/escalations");
    const raised = list.body.escalations.find((e) => e.escalation.task_id === dependent.id);
    expect(raised?.escalation.reason).toBe("dependency_conflict");
    const before = await call<{ open: number }>("GET", "/api/v1/escalations/count");
    expect(before.body.open).toBeGreaterThanOrEqual(1);

    const invalid = await call<ErrorBody>("POST", `/api/v1/escalations/${raised!.id}/actions`, {
      action: "resolve",
    });
    expect(invalid.status).toBe(400);
    const resolved = await call<{ status: string }>("POST", `/api/v1/escalations/${raised!.id}/actions`, {
      action: "resolve",
      note: "Removed the dependency with the client",
      expected_version: raised!.version,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe("RESOLVED");
    const after = await call<{ open: number }>("GET", "/api/v1/escalations/count");
    expect(after.body.open).toBe(before.body.open - 1);
    const again = await call<ErrorBody>("POST", `/api/v1/escalations/${raised!.id}/actions`, {
      action: "acknowledge",
      expected_version: raised!.version + 1,
    });
    expect(again.status).toBe(409);
    expect((await call("GET", "/api/v1/escalations/ESC-00000000-0000-0000-0000-000000000000")).status).toBe(
      404,
    );
  });

  it("creates, runs and deletes a schedule; refuses a bad cron or time zone", async () => {
    const created = await call<{ schedule: { id: string; next_run_at: string } }>(
      "POST",
      "/api/v1/schedules",
      {
        name: "Weekly report prep",
        cron: "0 9 * * 1",
        timezone: "Europe/Paris",
        task: { definition: { title: "Prepare the weekly report" }, queue: { name: "low_priority" } },
      },
    );
    expect(created.status).toBe(201);
    const id = created.body.schedule.id;
    const run = await call<{ tasks?: SeedTask[] }>("POST", `/api/v1/schedules/${id}/run`, {});
    expect(run.status).toBeLessThan(300);
    expect(await own.db.prisma.task.count({ where: { title: "Prepare the weekly report" } })).toBe(1);
    for (const [body, field] of [
      [{ name: "x", cron: "61 * * * *", task: { definition: { title: "x" } } }, "cron"],
      [
        { name: "x", cron: "0 9 * * *", timezone: "Mars/Olympus", task: { definition: { title: "x" } } },
        "timezone",
      ],
    ] as const) {
      const bad = await call<ErrorBody>("POST", "/api/v1/schedules", body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields.map((f) => f.path)).toContain(field);
    }
    expect((await call("DELETE", `/api/v1/schedules/${id}`)).status).toBeLessThan(300);
    expect((await call("GET", `/api/v1/schedules/${id}`)).status).toBe(404);
  });
});
