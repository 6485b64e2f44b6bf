import { io } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { serverOnDatabase } from "./server-on-database";
import { adminHeaders } from "./server-process";

const ADMIN = { email: "root@test.local", password: "root-password-123" };

describe("authentication, sessions, API keys and hardening", () => {
  const own = serverOnDatabase({
    env: {
      ORCHESTRATOR_ADMIN_EMAIL: ADMIN.email,
      ORCHESTRATOR_ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: "5",
    },
  });

  const json = { "content-type": "application/json" };
  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${own.server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { ...json, ...headers },
      body: JSON.stringify({ email, password }),
    });
  const cookieOf = (response: Response) => response.headers.get("set-cookie")?.split(";")[0] ?? "";

  it("creates the first admin from the environment and logs in with an HttpOnly SameSite cookie", async () => {
    const response = await login(ADMIN.email, ADMIN.password);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^orch_session=[\w-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    const me = await fetch(`${own.server.url}/api/v1/auth/me`, { headers: { cookie: cookieOf(response) } });
    expect(await me.json()).toMatchObject({ kind: "user", name: ADMIN.email, role: "admin" });
  });

  it("refuses a wrong password with 401, audits it, and never stores the password", async () => {
    const response = await login(ADMIN.email, "not-the-password");
    expect(response.status).toBe(401);
    const failed = await own.db.prisma.auditLog.findMany({ where: { action: "auth.login_failed" } });
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(failed.map((f) => f.details))).not.toContain("not-the-password");
    expect(await own.db.prisma.auditLog.count({ where: { action: "auth.login" } })).toBeGreaterThan(0);
  });

  it("rate-limits repeated logins with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login("nobody@test.local", "wrong-password")).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await login("nobody@test.local", "wrong-password");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses cookie-authenticated writes from another origin or without an origin (CSRF)", async () => {
    const cookie = cookieOf(await login(ADMIN.email, ADMIN.password));
    const body = JSON.stringify({ definition: { title: "csrf" } });
    const post = (headers: Record<string, string>) =>
      fetch(`${own.server.url}/api/v1/tasks`, {
        method: "POST",
        headers: { ...json, cookie, ...headers },
        body,
      });
    const before = await own.db.prisma.task.count();
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    expect(await own.db.prisma.task.count()).toBe(before);
    expect((await post({ origin: own.server.url })).status).toBe(201);
  });

  it("ends the session at logout", async () => {
    const cookie = cookieOf(await login(ADMIN.email, ADMIN.password));
    const out = await fetch(`${own.server.url}/api/v1/auth/logout`, {
      method: "POST",
      headers: { cookie, origin: own.server.url },
    });
    expect(out.status).toBe(204);
    expect((await fetch(`${own.server.url}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it("shows an API key once, stores only its hash, honours its scopes and refuses it once revoked", async () => {
    const created = await fetch(`${own.server.url}/api/v1/api-keys`, {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify({ name: "intake-bot", scopes: ["intake"] }),
    });
    expect(created.status).toBe(201);
    const { key, api_key } = (await created.json()) as {
      key: string;
      api_key: { id: string; prefix: string };
    };
    expect(key.startsWith(api_key.prefix)).toBe(true);
    const listed = await (
      await fetch(`${own.server.url}/api/v1/api-keys`, { headers: adminHeaders() })
    ).text();
    expect(listed).not.toContain(key);
    expect(JSON.stringify(await own.db.prisma.apiKey.findMany())).not.toContain(key);

    const bearer = { authorization: `Bearer ${key}` };
    const create = await fetch(`${own.server.url}/api/v1/tasks`, {
      method: "POST",
      headers: { ...json, ...bearer },
      body: JSON.stringify({ definition: { title: "from intake key" } }),
    });
    expect(create.status).toBe(201);
    expect(
      ((await create.json()) as { task: { metadata: { updated_by: string } } }).task.metadata.updated_by,
    ).toBe("api-key:intake-bot");
    expect((await fetch(`${own.server.url}/api/v1/users`, { headers: bearer })).status).toBe(403);

    const revoked = await fetch(`${own.server.url}/api/v1/api-keys/${api_key.id}/revoke`, {
      method: "POST",
      headers: adminHeaders(),
    });
    expect(revoked.status).toBe(200);
    expect((await fetch(`${own.server.url}/api/v1/board`, { headers: bearer })).status).toBe(401);
  });

  it("lets an admin create users (validated, unique email) and a viewer cannot create tasks", async () => {
    const bad = await fetch(`${own.server.url}/api/v1/users`, {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify({ email: "not-an-email", name: "", role: "boss", password: "short" }),
    });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields.map(
      (f) => f.path,
    );
    expect(paths).toEqual(expect.arrayContaining(["email", "name", "role", "password"]));

    const viewer = { email: "vera@test.local", name: "Vera", role: "viewer", password: "viewer-password-1" };
    const created = await fetch(`${own.server.url}/api/v1/users`, {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify(viewer),
    });
    expect(created.status).toBe(201);
    const again = await fetch(`${own.server.url}/api/v1/users`, {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify(viewer),
    });
    expect(again.status).toBe(409);

    const cookie = cookieOf(await login(viewer.email, viewer.password));
    expect((await fetch(`${own.server.url}/api/v1/board`, { headers: { cookie } })).status).toBe(200);
    const write = await fetch(`${own.server.url}/api/v1/tasks`, {
      method: "POST",
      headers: { ...json, cookie, origin: own.server.url },
      body: JSON.stringify({ definition: { title: "viewer write" } }),
    });
    expect(write.status).toBe(403);
  });

  it("refuses sockets without credentials and accepts one with a token", async () => {
    const anonymous = io(own.server.url, { transports: ["websocket"], reconnection: false });
    const refused = await new Promise<string>((resolve) =>
      anonymous.once("connect_error", (e) => resolve(e.message)),
    );
    anonymous.close();
    expect(refused).toBe("unauthorized");

    const key = (await (
      await fetch(`${own.server.url}/api/v1/api-keys`, {
        method: "POST",
        headers: adminHeaders(json),
        body: JSON.stringify({ name: "wall", scopes: ["wall"] }),
      })
    ).json()) as { key: string };
    const wall = io(own.server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: { token: key.key },
    });
    await new Promise<void>((resolve, reject) => {
      wall.once("connect", () => resolve());
      wall.once("connect_error", reject);
    });
    wall.close();
  });

  it("sends security headers and answers 401 to an unauthenticated API call", async () => {
    const page = await fetch(`${own.server.url}/login`);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const api = await fetch(`${own.server.url}/api/v1/board`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
  });
});
