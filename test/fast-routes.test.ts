import { describe, expect, it } from "vitest";
import { securityHeaders } from "@/lib/security-headers.js";
import type { SeedTask } from "@/lib/seed-format";
import { serverOnDatabase } from "./server-on-database";
import { adminHeaders, type RunningServer } from "./server-process";
import { waitFor } from "./wait-for";

// The machine API's hot routes are answered outside Next (server/http/fast-routes.ts), the rest
// by Next, over real HTTP on the real server. Which door answered is read from the server's
// request log line (`via`), found by the x-request-id each call sends: without the fast path
// every line says "next" and these tests fail.

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  via: string;
}

let sent = 0;

async function call(
  server: RunningServer,
  method: string,
  path: string,
  options: { auth?: boolean; body?: unknown } = {},
): Promise<Answer> {
  const requestId = `fast-routes-test-${process.pid}-${++sent}`;
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (options.auth !== false) Object.assign(headers, adminHeaders());
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body = (await response.json()) as unknown;
  const line = await waitFor(`the request log line of ${requestId}`, () =>
    server
      .output()
      .split("\n")
      .filter((l) => l.includes(requestId) && l.includes('"msg":"request"'))
      .map((l) => JSON.parse(l) as { via: string })
      .at(0),
  );
  expect(response.headers.get("x-request-id")).toBe(requestId);
  return { status: response.status, headers: response.headers, body, via: line.via };
}

/** The headers both doors must agree on: content type and the security headers. */
function importantHeaders(headers: Headers): Record<string, string | null> {
  const names = ["content-type", ...securityHeaders(false).map((h) => h.key.toLowerCase())];
  return Object.fromEntries(names.map((name) => [name, headers.get(name)]));
}

describe("the hot API routes outside Next", () => {
  const own = serverOnDatabase({ env: { LOG_LEVEL: "info" } });

  it("creates a task (201) through the fast path; Next then serves the same task", async () => {
    const created = await call(own.server, "POST", "/api/v1/tasks", {
      body: { definition: { title: "Through the fast path" }, queue: { name: "normal" } },
    });
    expect(created.via).toBe("fast");
    expect(created.status).toBe(201);
    const { task } = created.body as { task: SeedTask };
    expect(task.definition.title).toBe("Through the fast path");
    expect(task.state.current).toBe("QUEUED");

    const read = await call(own.server, "GET", `/api/v1/tasks/${task.id}`);
    expect(read.via).toBe("next");
    expect((read.body as { task: SeedTask }).task).toEqual(task);
    expect(importantHeaders(created.headers)).toEqual(importantHeaders(read.headers));
    for (const { key, value } of securityHeaders(false)) expect(created.headers.get(key)).toBe(value);
    expect(created.headers.get("content-type")).toBe("application/json");
  });

  it("refuses a bad body with 400 naming the field, headers as Next's", async () => {
    const refused = await call(own.server, "POST", "/api/v1/tasks", { body: { definition: {} } });
    expect(refused.via).toBe("fast");
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { code: "VALIDATION", fields: [{ path: "definition.title" }] },
    });
    const next = await call(own.server, "GET", "/api/v1/tasks?limit=0");
    expect(next.via).toBe("next");
    expect(next.status).toBe(400);
    expect(importantHeaders(refused.headers)).toEqual(importantHeaders(next.headers));
  });

  it("answers 401 without a key exactly as Next does for a route it serves", async () => {
    const fast = await call(own.server, "POST", "/api/v1/tasks", { auth: false, body: {} });
    const next = await call(own.server, "GET", "/api/v1/tasks", { auth: false });
    expect([fast.via, next.via]).toEqual(["fast", "next"]);
    expect(fast.status).toBe(401);
    expect(next.status).toBe(401);
    expect(fast.body).toEqual(next.body);
    expect(importantHeaders(fast.headers)).toEqual(importantHeaders(next.headers));
  });

  it("passes a worker route its [id]: a heartbeat without the lease is the worker protocol's 409", async () => {
    const created = await call(own.server, "POST", "/api/v1/tasks", {
      body: { definition: { title: "Nobody holds it" } },
    });
    const { task } = created.body as { task: SeedTask };
    const beat = await call(own.server, "POST", `/api/v1/workers/tasks/${task.id}/heartbeat`, {
      body: { worker_id: "w-1" },
    });
    expect(beat.via).toBe("fast");
    expect(beat.status).toBe(409);
    expect(beat.body).toMatchObject({ error: { code: "LEASE_NOT_HELD", task_id: task.id } });
  });
});

describe("the rate limit across both doors", () => {
  const own = serverOnDatabase({ env: { LOG_LEVEL: "info", API_RATE_LIMIT_PER_MINUTE: "3" } });

  it("counts fast and Next requests of one caller together and answers 429 with Retry-After", async () => {
    expect((await call(own.server, "GET", "/api/v1/tasks")).status).toBe(200);
    expect((await call(own.server, "GET", "/api/v1/tasks")).status).toBe(200);
    const third = await call(own.server, "POST", "/api/v1/tasks", { body: { definition: { title: "3rd" } } });
    expect(third.status).toBe(201);
    const fast = await call(own.server, "POST", "/api/v1/tasks", { body: { definition: { title: "4th" } } });
    expect(fast.via).toBe("fast");
    expect(fast.status).toBe(429);
    expect(Number(fast.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(fast.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
    const next = await call(own.server, "GET", "/api/v1/tasks");
    expect(next.via).toBe("next");
    expect(next.status).toBe(429);
  });
});
