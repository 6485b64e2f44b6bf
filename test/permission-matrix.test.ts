import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/api/catalogue";
import {
  type ApiKeyScope,
  PERMISSIONS,
  type Permission,
  ROLE_PERMISSIONS,
  SCOPE_PERMISSIONS,
  type UserRole,
} from "@/lib/permissions";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";

// Walks every route of the catalogue × every kind of caller and checks the gate: 401 without
// valid credentials, 403 naming the route's permission without it, through with it (the
// handler answered: success or its own 4xx about the input; never 5xx, never "no such route").

interface Caller {
  name: string;
  headers: Record<string, string>;
  permissions: readonly Permission[] | null;
}

const ROLES: UserRole[] = ["admin", "operator", "account_manager", "viewer"];
const SCOPES: ApiKeyScope[] = ["intake", "worker", "read", "wall", "admin"];
/**
 * What the gate did, from the answer itself: "401" and "403" only with the gate's own error
 * codes (a 403 naming the route's permission), "through" when the handler ran — a success, or
 * the handler's own JSON error about the (empty) input or the missing task — never Next's 404
 * page for a route that does not exist, nor a 5xx.
 */
function outcome(permission: string, status: number, text: string): string {
  let code: string | undefined;
  let message: string | undefined;
  try {
    ({ code, message } = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error ?? {});
  } catch {
    /* not JSON: a success in another format (CSV, metrics text), or not the API at all */
  }
  if (status >= 500) return `5xx ${code ?? ""}`;
  if (status === 401) return code === "UNAUTHENTICATED" ? "401" : `401 ${code}`;
  if (status === 403)
    return code === "FORBIDDEN" && message === `This needs the ${permission} permission`
      ? "403"
      : `403 ${code}: ${message}`;
  if (status < 300) return "through";
  return code ? "through" : `${status} without an API error body`;
}

const MISSING = { id: "TASK-1999-000001", blockerId: "TASK-1999-000002", name: "critical" };

describe("permission matrix", () => {
  let db: TestDatabase;
  let server: RunningServer;
  const callers: Caller[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    server = await startServer({ DATABASE_URL: db.url, API_RATE_LIMIT_PER_MINUTE: "100000" });
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: adminHeaders({ "content-type": "application/json" }),
        body: JSON.stringify(body),
      });

    for (const role of ROLES) {
      const email = `${role}@matrix.local`;
      await post("/api/v1/users", { email, name: role, role, password: "matrix-password-1" });
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "matrix-password-1" }),
      });
      const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
      callers.push({
        name: `role ${role}`,
        headers: { cookie, origin: server.url },
        permissions: ROLE_PERMISSIONS[role],
      });
    }
    for (const scope of SCOPES) {
      const { key } = (await (
        await post("/api/v1/api-keys", { name: `key-${scope}`, scopes: [scope] })
      ).json()) as { key: string };
      callers.push({
        name: `key ${scope}`,
        headers: { authorization: `Bearer ${key}` },
        permissions: SCOPE_PERMISSIONS[scope],
      });
    }
    const revoked = (await (
      await post("/api/v1/api-keys", { name: "revoked", scopes: ["admin"] })
    ).json()) as { key: string; api_key: { id: string } };
    await post(`/api/v1/api-keys/${revoked.api_key.id}/revoke`, {});
    callers.push({
      name: "revoked key",
      headers: { authorization: `Bearer ${revoked.key}` },
      permissions: null,
    });
    callers.push({ name: "no credentials", headers: {}, permissions: null });
    callers.push({ name: "bad token", headers: { authorization: "Bearer tok_nope" }, permissions: null });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const guarded = API_ROUTES.filter((r) => r.permission !== "public");

  it("gates the routes with every permission there is", () => {
    // Each permission guards at least one route, so the walk below exercises each of them.
    expect(new Set(guarded.map((r) => r.permission))).toEqual(new Set(PERMISSIONS));
  });

  it("answers every route × caller as the matrix says", async () => {
    const mismatches: string[] = [];
    for (const route of guarded) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, p: keyof typeof MISSING) => MISSING[p] ?? "x");
      for (const caller of callers) {
        const response = await fetch(`${server.url}${path}`, {
          method: route.method,
          headers: {
            ...caller.headers,
            ...(route.method === "GET" ? {} : { "content-type": "application/json" }),
          },
          body: route.method === "GET" ? undefined : "{}",
        });
        const allowed = caller.permissions?.includes(route.permission as Permission);
        const expected = caller.permissions === null ? "401" : allowed ? "through" : "403";
        const got = outcome(route.permission, response.status, await response.text());
        if (got !== expected)
          mismatches.push(
            `${route.method} ${route.path} as ${caller.name}: ${response.status} (${got}), expected ${expected}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it("admits sockets exactly for callers that may read tasks", async () => {
    for (const caller of callers) {
      const token = caller.headers.authorization?.replace("Bearer ", "");
      const socket = io(server.url, {
        transports: ["websocket"],
        reconnection: false,
        auth: token ? { token } : {},
        extraHeaders: caller.headers.cookie ? { cookie: caller.headers.cookie } : {},
      });
      const result = await new Promise<string>((resolve) => {
        socket.once("connect", () => resolve("connected"));
        socket.once("connect_error", (e) => resolve(e.message));
      });
      socket.close();
      const expected = caller.permissions?.includes("board:read") ? "connected" : "unauthorized";
      expect(result, caller.name).toBe(expected);
    }
  });
});
