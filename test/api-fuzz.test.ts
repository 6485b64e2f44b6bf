import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/api/catalogue";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";

// Thousands of malformed, oversized and wrongly-typed bodies, headers and query strings sent to
// every endpoint as an admin (so they pass the gate and reach validation): only 4xx answers, and
// the task tables unchanged (row counts and a checksum of every task). Hostile families too:
// unknown methods (TRACE…), malformed session cookies, NUL characters in bodies, queries and
// paths, LIKE metacharacters in filters, invalid percent-encoding in path ids.

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

/** A raw HTTP request (fetch refuses TRACE and sends URLs re-encoded): status and body. */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...headers,
          connection: "close",
          ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A JSON body with a NUL character somewhere in one of its strings (a key or a value). */
const nulBody = fc
  .tuple(
    fc.constantFrom(
      { definition: { title: "T" }, queue: { name: "normal" } },
      { to: "ON_HOLD", reason: "r" },
      { text: "add task x" },
      { worker_id: "w", skills: ["backend"] },
      { reason: "r", action: "acknowledge" },
      { intake_id: "i", email: "a@b.c" },
      { name: "k", scopes: ["read"] },
      { email: "a@b.c", password: "p" },
    ),
    fc.string({ maxLength: 6 }),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
  )
  .map(([base, left, right, inKey]) => {
    const nul = `${left}\u0000${right}`;
    const json = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    const keys = Object.keys(json);
    if (inKey) json[nul] = "x";
    else {
      const key = keys[left.length % keys.length] as string;
      const value = json[key];
      json[key] =
        typeof value === "string"
          ? nul
          : Array.isArray(value)
            ? [nul]
            : { ...(value as object), [Object.keys(value as object)[0] as string]: nul };
    }
    return JSON.stringify(json);
  });

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

  it("answers unknown methods (TRACE, PROPFIND, made-up ones) on every route with 405", async () => {
    for (const route of [...paths, { url: "/" }, { url: "/wall" }, { url: "/api/v1/nope" }]) {
      for (const method of ["TRACE", "PROPFIND", "MKCOL", "LOCK", "PURGE"]) {
        const response = await raw(server.url, method, route.url, adminHeaders());
        expect(response.status, `${method} ${route.url}`).toBe(405);
        expect(JSON.parse(response.body)).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
        expect(response.headers.allow).toContain("GET");
      }
      // A method Node's HTTP parser does not know at all is refused by the parser itself.
      expect((await raw(server.url, "FOO", route.url, adminHeaders())).status).toBe(400);
    }
  }, 120_000);

  it("answers a malformed session cookie with 400 naming it, on every route", async () => {
    const before = await snapshot();
    for (const route of [...paths, { url: "/", method: "GET", permission: "page" }]) {
      for (const cookie of ["orch_session=%E0%A4%A", "orch_session=%", "a=1; orch_session=%zz"]) {
        const response = await raw(
          server.url,
          route.method,
          route.url,
          {
            cookie,
            "content-type": "application/json",
            origin: server.url,
          },
          route.method === "GET" ? undefined : "{}",
        );
        expect(response.status, `${route.method} ${route.url} ${cookie}`).toBeLessThan(500);
        if (route.permission !== "public" && route.permission !== "page") {
          expect(response.status, `${route.method} ${route.url}`).toBe(400);
          expect(JSON.parse(response.body || "null"), `${route.method} ${route.url} ${cookie}`).toMatchObject(
            {
              error: { code: "MALFORMED_COOKIE", fields: [{ path: "cookie.orch_session" }] },
            },
          );
        }
      }
    }
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it("refuses NUL characters in any string field of a body, naming the field, and writes nothing", async () => {
    const before = await snapshot();
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(nulBody, async (body) => {
          const response = await raw(
            server.url,
            route.method,
            route.url,
            adminHeaders({ "content-type": "application/json" }),
            body,
          );
          expect(
            response.status,
            `${route.method} ${route.path} ${JSON.stringify(body)}`,
          ).toBeGreaterThanOrEqual(400);
          expect(response.status, `${route.method} ${route.path} ${JSON.stringify(body)}`).toBeLessThan(500);
        }),
        { numRuns: RUNS_PER_ROUTE / 4 },
      );
    }
    // The create route would accept the body were it not for the NUL: the answer names the field.
    const response = await raw(
      server.url,
      "POST",
      "/api/v1/tasks",
      adminHeaders({ "content-type": "application/json" }),
      JSON.stringify({ definition: { title: "a\u0000b" }, queue: { name: "normal" } }),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { fields: [{ path: "definition.title" }] } });
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it("refuses NUL characters in queries and paths with 400, and bad percent-encoding in path ids", async () => {
    const before = await snapshot();
    for (const route of paths) {
      for (const query of ["q=%00", "skill=a%00b", "client=%00", "%00=1", "state=QUEUED%00"]) {
        const response = await raw(server.url, route.method, `${route.url}?${query}`, adminHeaders());
        expect(response.status, `${route.method} ${route.url}?${query}`).toBe(400);
      }
      if (route.path.includes("{")) {
        for (const bad of ["%ff%fe", "%E0%A4%A", "%", "a%00b"]) {
          const url = route.path.replace(/\{(\w+)\}/g, bad);
          const response = await raw(
            server.url,
            route.method,
            url,
            adminHeaders({ "content-type": "application/json" }),
            route.method === "GET" ? undefined : "{}",
          );
          expect(response.status, `${route.method} ${url}`).toBe(400);
          expect(JSON.parse(response.body).error.code).toMatch(/MALFORMED_URL|VALIDATION/);
        }
      }
    }
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it("takes filters literally: LIKE metacharacters neither fail nor match everything", async () => {
    for (const [param, value] of [
      ["client", "%5C"],
      ["client", "%25"],
      ["client", "_"],
      ["q", "%25"],
      ["q", "%5C"],
      ["q", "_"],
    ]) {
      const response = await raw(server.url, "GET", `/api/v1/tasks?${param}=${value}`, adminHeaders());
      expect(response.status, `${param}=${value}`).toBe(200);
      expect((JSON.parse(response.body) as { tasks: unknown[] }).tasks, `${param}=${value}`).toEqual([]);
    }
    const all = await raw(server.url, "GET", "/api/v1/tasks?q=a", adminHeaders());
    expect((JSON.parse(all.body) as { tasks: unknown[] }).tasks.length).toBeGreaterThan(0);
  });
});
