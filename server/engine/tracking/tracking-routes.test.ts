import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as scrape } from "@/app/api/metrics/route";
import { GET as getAudit } from "@/app/api/v1/audit/route";
import { GET as getMetrics } from "@/app/api/v1/metrics/route";
import { GET as getReport } from "@/app/api/v1/reports/route";
import { type AppContext, setAppContext } from "@/server/app-context";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { FakeClock } from "../clock";

// The tracking route handlers called in-process (no HTTP server): thin wiring of the query
// schemas, the engine calls and the responses. Authentication is the admin token.

const ADMIN_TOKEN = "tracking-routes-admin-token-0123";
const NOW = "2026-03-10T12:00:00.000Z";

let db: TestDatabase;
const saved = { admin: process.env.ORCHESTRATOR_ADMIN_TOKEN, metrics: process.env.METRICS_TOKEN };

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.ORCHESTRATOR_ADMIN_TOKEN = ADMIN_TOKEN;
  setAppContext({
    db,
    engine: { prisma: db.prisma, clock: new FakeClock(NOW) },
    startedAt: new Date(NOW),
  } as unknown as AppContext);
  await db.prisma.auditLog.create({
    data: { at: new Date(NOW), actor: "user:marie", action: "task.edited", taskId: "TASK-2026-000001" },
  });
});

afterEach(() => {
  process.env.METRICS_TOKEN = saved.metrics;
});

afterAll(async () => {
  setAppContext(undefined);
  process.env.ORCHESTRATOR_ADMIN_TOKEN = saved.admin;
  await db?.drop();
});

const call = (
  handler: (r: Request, c: { params: Promise<Record<string, never>> }) => Promise<Response>,
  path: string,
  headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` },
) => handler(new Request(`http://localhost${path}`, { headers }), { params: Promise.resolve({}) });

describe("tracking routes", () => {
  it("GET /api/v1/metrics: the last 7 days by default, 400 naming a bad parameter", async () => {
    const ok = await call(getMetrics, "/api/v1/metrics");
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.window).toEqual({ from: "2026-03-03T12:00:00.000Z", to: NOW, days: 7 });
    expect(body.series).toHaveLength(8); // 03-03 (from noon) .. 03-10 (until noon)
    const bad = await call(getMetrics, "/api/v1/metrics?from=2026-03-09&to=2026-03-01&queue=vip");
    expect(bad.status).toBe(400);
    const error = (await bad.json()).error;
    expect(error.code).toBe("VALIDATION");
    expect(error.fields.map((f: { path: string }) => f.path)).toContain("queue");
    expect((await call(getMetrics, "/api/v1/metrics", {})).status).toBe(401);
  });

  it("GET /api/v1/reports?format=csv downloads an attachment", async () => {
    const csv = await call(
      getReport,
      "/api/v1/reports?group_by=queue&from=2026-03-01&to=2026-03-08&format=csv",
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(
      'attachment; filename="report-queue-2026-03-01-2026-03-08.csv"',
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for Excel
    expect(bytes.subarray(3).toString("utf8")).toMatch(/^queue,from,to,tasks,/);
    const json = await call(getReport, "/api/v1/reports?group_by=day&from=2026-03-01&to=2026-03-03");
    expect((await json.json()).rows).toHaveLength(2);
    expect((await call(getReport, "/api/v1/reports?group_by=month")).status).toBe(400);
  });

  it("GET /api/v1/audit: filters and pages, 400 on a bad limit", async () => {
    const ok = await call(getAudit, "/api/v1/audit?task_id=TASK-2026-000001&limit=1");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ entries: [{ actor: "user:marie" }], nextCursor: null });
    const bad = await call(getAudit, "/api/v1/audit?limit=500");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields[0].path).toBe("limit");
  });

  it("GET /api/metrics: 404 without METRICS_TOKEN, 401 with a wrong one, Prometheus text with it", async () => {
    delete process.env.METRICS_TOKEN;
    expect((await call(scrape, "/api/metrics")).status).toBe(404);
    process.env.METRICS_TOKEN = "scrape-secret";
    const denied = await call(scrape, "/api/metrics", { authorization: "Bearer nope" });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toContain("Bearer");
    expect((await call(scrape, "/api/metrics", {})).status).toBe(401);
    const ok = await call(scrape, "/api/metrics", { authorization: "Bearer scrape-secret" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    const text = await ok.text();
    expect(text).toContain('orchestrator_queue_capacity{queue="critical"} 3');
    expect(text).toContain("process_cpu_user_seconds_total");
  });
});
