import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityHeaders } from "@/lib/security-headers.js";
import { FAST_ROUTES, type FastMatch, loadFastRoutes, matchFastRoute, serveFastRoute } from "./fast-routes";

// The adapter between Node's request/response and the route modules' Web Request/Response, on
// a plain HTTP server with stand-in handlers (test/fast-routes.test.ts runs the real routes).

describe("the fast route table", () => {
  beforeAll(loadFastRoutes, 60_000);

  it("matches the table's method and path exactly, with the [id] parameter decoded", () => {
    expect(FAST_ROUTES.map((r) => r.path)).toContain("/api/v1/workers/tasks/[id]/heartbeat");
    expect(matchFastRoute("POST", "/api/v1/tasks")?.params).toEqual({});
    expect(matchFastRoute("POST", "/api/v1/tasks?x=1")?.params).toEqual({});
    expect(matchFastRoute("POST", "/api/v1/workers/claim")).not.toBeNull();
    expect(matchFastRoute("POST", "/api/v1/workers/complete")).not.toBeNull();
    for (const verb of ["heartbeat", "complete", "fail", "block"]) {
      expect(matchFastRoute("POST", `/api/v1/workers/tasks/TASK-2026-000001/${verb}`)?.params).toEqual({
        id: "TASK-2026-000001",
      });
    }
    expect(matchFastRoute("POST", "/api/v1/workers/tasks/a%20b/fail")?.params).toEqual({ id: "a b" });
  });

  it("leaves everything else to Next: other methods, trailing slashes, empty or extra segments", () => {
    for (const [method, url] of [
      ["GET", "/api/v1/tasks"],
      ["PATCH", "/api/v1/tasks"],
      ["POST", "/api/v1/tasks/"],
      ["POST", "//api/v1/tasks"],
      ["POST", "/api/v1/tasks/TASK-2026-000001"],
      ["POST", "/api/v1/workers/tasks//fail"],
      ["POST", "/api/v1/workers/tasks/TASK-2026-000001/fail/x"],
      ["POST", "/api/v1/workers/tasks/TASK-2026-000001/transition"],
      ["POST", "/API/v1/tasks"],
    ] as const) {
      expect(matchFastRoute(method, url), `${method} ${url}`).toBeNull();
    }
  });
});

describe("serving a route module's answer", () => {
  let server: Server;
  let url: string;
  let match: FastMatch;
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader("x-request-id", "rid-1"); // as main.ts does before any route
      void serveFastRoute(match, req, res, { dev: false, onError: (e) => errors.push(e) });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("gives the route the method, URL, headers, streamed body and parameters", async () => {
    match = {
      params: { id: "TASK-1" },
      handler: async (request, { params }) =>
        Response.json({
          method: request.method,
          url: request.url,
          auth: request.headers.get("authorization"),
          forwardedHost: request.headers.get("x-forwarded-host"),
          body: await request.json(),
          params: await params,
        }),
    };
    const response = await fetch(`${url}/api/v1/x?a=1`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(response.status).toBe(200);
    const host = new URL(url).host;
    expect(await response.json()).toEqual({
      method: "POST",
      url: `http://${host}/api/v1/x?a=1`,
      auth: "Bearer k",
      forwardedHost: host,
      body: { hello: "world" },
      params: { id: "TASK-1" },
    });
    expect(response.headers.get("content-length")).not.toBeNull();
  });

  it("writes status, headers (security first, x-request-id kept), every Set-Cookie and a streamed body", async () => {
    match = {
      params: {},
      handler: async () => {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode("first,"));
            controller.enqueue(encoder.encode("second"));
            controller.close();
          },
        });
        const headers = new Headers({ "content-type": "text/plain", "x-request-id": "not-this" });
        headers.append("set-cookie", "a=1; Path=/");
        headers.append("set-cookie", "b=2; Path=/; HttpOnly");
        headers.set("x-frame-options", "SAMEORIGIN"); // Next keeps its config's value too
        return new Response(body, { status: 202, headers });
      },
    };
    const response = await fetch(`${url}/anything`, { method: "POST" });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("first,second");
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("x-request-id")).toBe("rid-1");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
    for (const { key, value } of securityHeaders(false)) expect(response.headers.get(key)).toBe(value);
  });

  it("aborts the route's request.signal when the client goes away, not when the answer is sent", async () => {
    let entered!: () => void;
    const inRoute = new Promise<void>((resolve) => (entered = resolve));
    let signals: AbortSignal[] = [];
    match = {
      params: {},
      handler: async (request) => {
        signals.push(request.signal);
        if ((await request.text()) === "quick") return new Response("done");
        entered();
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
        return new Response("too late");
      },
    };
    expect(await (await fetch(`${url}/q`, { method: "POST", body: "quick" })).text()).toBe("done");
    const client = new AbortController();
    const waiting = fetch(`${url}/long`, { method: "POST", body: "wait", signal: client.signal }).catch(
      (error: Error) => error.name,
    );
    await inRoute;
    client.abort();
    expect(await waiting).toBe("AbortError");
    await expect.poll(() => signals[1]?.aborted).toBe(true);
    expect(signals[0]?.aborted).toBe(false);
    signals = [];
  });

  it("answers 500 with the API's error body when the adapter itself fails", async () => {
    match = {
      params: {},
      handler: async () => {
        throw new Error("a bug");
      },
    };
    const response = await fetch(`${url}/x`, { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: "INTERNAL", message: "Internal error", fields: [] },
    });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(errors).toHaveLength(1);
  });
});
