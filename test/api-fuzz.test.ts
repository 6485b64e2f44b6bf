import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/api/catalogue";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";

// Thousands of malformed, oversized and wrongly-typed bodies, headers and query strings sent to
// every endpoint as an admin (so they pass the gate and reach validation): only 4xx answers, and
// the task tables unchanged (row counts and a checksum of every task).

const MISSING = { id: "TASK-1999-000001", blockerId: "TASK-1999-000002", name: "critical" };
const RUNS_PER_ROUTE = 60;

/** A JSON value that is not an object (never a valid body), or an object of wrongly-typed fields. */
const badBody = fc.oneof(
  fc.jsonValue().filter((v) => v === null || typeof v !== "object" || Array.isArray(v)),
  fc.dictionary(
    fc.constantFrom(
      "definition",
      "title",
      "queue",
      "to",
      "score",
      "text",
      "intake_id",
      "email",
      "before",
      "expected_version",
      "blocker_id",
      "action",
    ),
    fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer()),
      fc.string({ maxLength: 3 }).map((s) => ({ s })),
    ),
    { minKeys: 1 },
  ),
);

const rawBody = fc.oneof(
  fc.string({ maxLength: 50 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constant(`{"definition": {"title": "${"x".repeat(1_100_000)}"}}`),
);

const badQuery = fc.dictionary(
  fc.constantFrom(
    "state",
    "queue",
    "limit",
    "cursor",
    "from",
    "to",
    "group_by",
    "format",
    "task_id",
    "status",
  ),
  fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constant("%00"), fc.constant("-1")),
  { minKeys: 1, maxKeys: 4 },
);

describe("fuzzing every endpoint", () => {
  let db: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    // The engine stays off: background dispatching would change tasks while we check that requests do not.
    server = await startServer({
      DATABASE_URL: db.url,
      API_RATE_LIMIT_PER_MINUTE: "1000000",
      ORCHESTRATOR_ENGINE: "0",
    });
    // Some real tasks, so "unchanged" means something.
    for (const title of ["Alpha", "Beta", "Gamma"]) {
      await fetch(`${server.url}/api/v1/tasks`, {
        method: "POST",
        headers: adminHeaders({ "content-type": "application/json" }),
        body: JSON.stringify({ definition: { title }, queue: { name: "normal" } }),
      });
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function snapshot() {
    const [sum] = await db.prisma.$queryRaw<{ tasks: bigint; checksum: string | null }[]>`
      SELECT count(*) AS tasks, md5(string_agg(t::text, '|' ORDER BY id)) AS checksum FROM tasks t`;
    const counts = await Promise.all([
      db.prisma.taskStateHistory.count(),
      db.prisma.taskDependency.count(),
      db.prisma.escalation.count(),
      db.prisma.event.count(),
      db.prisma.user.count(),
      db.prisma.apiKey.count(),
    ]);
    return { tasks: Number(sum?.tasks), checksum: sum?.checksum, counts };
  }

  const paths = API_ROUTES.map((r) => ({
    ...r,
    url: r.path.replace(/\{(\w+)\}/g, (_, p: keyof typeof MISSING) => MISSING[p] ?? "x"),
  }));
  const writes = paths.filter((r) => r.method !== "GET" && r.body);
  const reads = paths.filter((r) => r.method === "GET" && r.query);

  it("answers malformed bodies with 4xx and writes nothing", async () => {
    const before = await snapshot();
    const statuses = new Map<number, number>();
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            badBody.map((b) => JSON.stringify(b)),
            rawBody,
          ),
          fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-8"),
          async (body, type) => {
            const response = await fetch(`${server.url}${route.url}`, {
              method: route.method,
              headers: adminHeaders({ "content-type": type }),
              body,
            });
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const json = (await response.json()) as { error?: { code: string; fields: unknown[] } };
            expect(
              response.status,
              `${route.method} ${route.path} ${body.slice(0, 80)}`,
            ).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
            expect(json.error?.code).toBeTypeOf("string");
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(await snapshot()).toEqual(before);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      writes.length * RUNS_PER_ROUTE,
    );
  }, 300_000);

  it("answers bad query strings and headers without a server error and without writing", async () => {
    const before = await snapshot();
    for (const route of reads) {
      await fc.assert(
        fc.asyncProperty(
          badQuery,
          fc.constantFrom("Bearer", "Bearer ", "Basic abc", "Bearer tok_\u0000"),
          async (query, auth) => {
            const url = `${server.url}${route.url}?${new URLSearchParams(query)}`;
            const response = await fetch(url);
            expect(response.status, url).toBe(401);
            const withAuth = await fetch(url, { headers: adminHeaders() });
            expect(withAuth.status, url).toBeLessThan(500);
            const garbled = await fetch(url, { headers: { authorization: auth.replace("\u0000", "") } });
            expect(garbled.status).toBe(401);
          },
        ),
        { numRuns: RUNS_PER_ROUTE / 2 },
      );
    }
    expect(await snapshot()).toEqual(before);
  }, 300_000);
});
