import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SOCKET_ENDED_EVENT, SOCKET_PRINCIPAL_EVENT } from "@/lib/events";
import type { SeedTask } from "@/lib/seed-format";
import { createTestDatabase, type TestDatabase } from "./database";
import { type LiveSocket, openLiveSocket, waitUntil } from "./live-socket";
import { adminHeaders, type RunningServer, startServer, TEST_ADMIN_TOKEN } from "./server-process";
import { waitFor } from "./wait-for";

// Credentials over real HTTP and sockets: open sockets follow their credential (revoked key,
// logout, deactivated user, changed role), a lease belongs to the key that claimed it, the wall
// key reads only the wall's read models, and no secret a test used ever reaches the server's log.

const ADMIN = { email: "root@test.local", password: "root-password-secret-1" };
const json = { "content-type": "application/json" };

describe("credentials and secrets", () => {
  let db: TestDatabase;
  let server: RunningServer;
  const secrets = new Set<string>([TEST_ADMIN_TOKEN, ADMIN.password]);
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    server = await startServer({
      DATABASE_URL: db.url,
      ORCHESTRATOR_ADMIN_EMAIL: ADMIN.email,
      ORCHESTRATOR_ADMIN_PASSWORD: ADMIN.password,
      ORCHESTRATOR_ENGINE: "1",
      ORCHESTRATOR_SIMULATOR: "0",
      // Every request is logged: the redaction test greps all of it.
      LOG_LEVEL: "info",
    });
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
    await db?.drop();
  });

  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

  async function createKey(name: string, scopes: string[]): Promise<{ id: string; key: string }> {
    const response = await api("/api/v1/api-keys", {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify({ name, scopes }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { key: string; api_key: { id: string } };
    secrets.add(body.key);
    return { id: body.api_key.id, key: body.key };
  }

  async function createUser(email: string, role: string): Promise<{ id: string; cookie: string }> {
    const password = `pw-${email}-secret`;
    secrets.add(password);
    const created = await api("/api/v1/users", {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify({ email, name: email, role, password }),
    });
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: { id: string } };
    const login = await api("/api/v1/auth/login", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    secrets.add(decodeURIComponent(cookie.split("=")[1] ?? ""));
    return { id: user.id, cookie };
  }

  const open = async (auth: { token?: string; cookie?: string }) => {
    const socket = await openLiveSocket(server.url, auth);
    sockets.push(socket);
    return socket;
  };

  const patchUser = (id: string, body: object) =>
    api(`/api/v1/users/${id}`, { method: "PATCH", headers: adminHeaders(json), body: JSON.stringify(body) });

  const ended = (socket: LiveSocket) => {
    let reason: string | null = null;
    socket.socket.on(SOCKET_ENDED_EVENT, (payload: { reason: string }) => {
      reason = payload.reason;
    });
    return () => reason;
  };

  describe("sockets follow their credential", () => {
    it("ends the sockets of a revoked API key", async () => {
      const kept = await createKey("kept-reader", ["read"]);
      const revoked = await createKey("revoked-reader", ["read"]);
      const keptSocket = await open({ token: kept.key });
      const socket = await open({ token: revoked.key });
      const why = ended(socket);
      const response = await api(`/api/v1/api-keys/${revoked.id}/revoke`, {
        method: "POST",
        headers: adminHeaders(),
      });
      expect(response.status).toBe(200);
      await waitUntil("the revoked key's socket to be ended", () => socket.disconnected() !== null);
      expect(socket.disconnected()).toBe("io server disconnect");
      expect(why()).toBe("unauthorized");
      expect(keptSocket.socket.connected).toBe(true);
      await expect(openLiveSocket(server.url, { token: revoked.key })).rejects.toThrow(/unauthorized/);
    });

    it("ends the socket of a session that logged out", async () => {
      const { cookie } = await createUser("leaving@test.local", "operator");
      const socket = await open({ cookie });
      const response = await api("/api/v1/auth/logout", {
        method: "POST",
        headers: { cookie, origin: server.url },
      });
      expect(response.status).toBe(204);
      await waitUntil("the logged-out socket to be ended", () => socket.disconnected() !== null);
    });

    it("ends the sockets of a deactivated user and downgrades those of a user given another role", async () => {
      const gone = await createUser("gone@test.local", "operator");
      const demoted = await createUser("demoted@test.local", "operator");
      const goneSocket = await open({ cookie: gone.cookie });
      const demotedSocket = await open({ cookie: demoted.cookie });
      let changedTo: { role: string; permissions: string[] } | null = null;
      demotedSocket.socket.on(SOCKET_PRINCIPAL_EVENT, (payload: { role: string; permissions: string[] }) => {
        changedTo = payload;
      });

      expect((await patchUser(gone.id, { active: false })).status).toBe(200);
      await waitUntil("the deactivated user's socket to be ended", () => goneSocket.disconnected() !== null);

      expect((await patchUser(demoted.id, { role: "viewer" })).status).toBe(200);
      await waitUntil("the demoted user's socket to learn its new role", () => changedTo !== null);
      expect(changedTo).toMatchObject({ role: "viewer" });
      expect((changedTo as unknown as { permissions: string[] }).permissions).not.toContain("tasks:edit");
      expect(demotedSocket.socket.connected).toBe(true);
    });
  });

  it("binds a lease to the key that claimed it: another key with the same worker_id gets LEASE_NOT_HELD", async () => {
    const a = await createKey("worker-a", ["worker"]);
    const b = await createKey("worker-b", ["worker"]);
    const created = await api("/api/v1/tasks", {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify({
        definition: { title: "leased", type: "development", skill_target: "qa" },
        queue: { name: "urgent" },
      }),
    });
    const id = ((await created.json()) as { task: SeedTask }).task.id;
    await waitUntil(
      "dispatch",
      async () => (await db.prisma.task.findUnique({ where: { id } }))?.state === "SCHEDULED",
    );
    const worker = (key: string, path: string, body: object) =>
      api(`/api/v1/workers${path}`, {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${key}` },
        body: JSON.stringify({ worker_id: "shared-worker", ...body }),
      });
    // A claim skips a row another transaction holds at that instant (SKIP LOCKED): ask again.
    const claimed = await waitFor("a claim to give the task", async () => {
      const tasks = (
        (await (await worker(a.key, "/claim", { skills: ["qa"] })).json()) as { tasks: SeedTask[] }
      ).tasks;
      return tasks.length > 0 ? tasks : null;
    });
    expect(claimed.map((t) => t.id)).toEqual([id]);

    for (const [path, body] of [
      ["heartbeat", { progress_percent: 50 }],
      ["complete", {}],
      ["fail", { error: "stolen", recoverable: true }],
      ["block", { reason: "stolen" }],
    ] as const) {
      const refused = await worker(b.key, `/tasks/${id}/${path}`, body);
      expect(refused.status, path).toBe(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code, path).toBe("LEASE_NOT_HELD");
    }
    expect((await db.prisma.task.findUnique({ where: { id } }))?.progressPercent).not.toBe(50);
    // The batched completion too: its one-statement path must not skip the key check.
    const batch = await worker(b.key, "/complete", { results: [{ task_id: id }] });
    expect(batch.status).toBe(200);
    const [result] = ((await batch.json()) as { results: { ok: boolean; error?: { code: string } }[] })
      .results;
    expect(result).toMatchObject({ ok: false, error: { code: "LEASE_NOT_HELD" } });
    expect((await db.prisma.task.findUnique({ where: { id } }))?.state).toBe("IN_PROGRESS");

    expect((await worker(a.key, `/tasks/${id}/heartbeat`, { progress_percent: 50 })).status).toBe(200);
    expect((await worker(a.key, `/tasks/${id}/complete`, {})).status).toBe(200);
    expect((await db.prisma.task.findUnique({ where: { id } }))?.state).toBe("COMPLETED");
  });

  it("lets the wall key read the wall's read models and nothing else", async () => {
    const wall = await createKey("lobby-wall", ["wall"]);
    const created = await api("/api/v1/tasks", {
      method: "POST",
      headers: adminHeaders(json),
      body: JSON.stringify({
        definition: { title: "private", type: "development", skill_target: "backend" },
        queue: { name: "normal" },
        context: { client: { name: "Acme", contact: "ceo@acme.test" } },
      }),
    });
    const id = ((await created.json()) as { task: SeedTask }).task.id;
    const as = (path: string) => api(path, { headers: { authorization: `Bearer ${wall.key}` } });

    for (const path of [
      "/api/v1/tasks",
      `/api/v1/tasks/${id}`,
      "/api/v1/queues/normal/tasks",
      "/api/v1/templates",
      `/api/v1/tasks/${id}/subtasks`,
      "/api/v1/audit",
      "/api/v1/reports",
    ]) {
      expect((await as(path)).status, path).toBe(403);
    }
    for (const path of [
      "/api/v1/auth/me",
      "/api/v1/board",
      `/api/v1/board/cards/${id}`,
      "/api/v1/queues",
      "/api/v1/escalations",
      "/api/v1/escalations/count",
      "/api/v1/metrics",
    ]) {
      expect((await as(path)).status, path).toBe(200);
    }
    // Its cards say what the wall shows, not who the client is.
    const wallBoard = JSON.stringify(await (await as("/api/v1/board")).json());
    expect(wallBoard).toContain(id);
    expect(wallBoard).not.toContain("Acme");
    expect(JSON.stringify(await (await as(`/api/v1/board/cards/${id}`)).json())).not.toContain("Acme");
    const adminBoard = await api("/api/v1/board", { headers: adminHeaders() });
    expect(JSON.stringify(await adminBoard.json())).toContain("Acme");
    const socket = await open({ token: wall.key });
    expect(socket.socket.connected).toBe(true);

    // The wall page itself, opened as the display does: the token rides in the URL.
    const page = await api(`/wall?token=${wall.key}`);
    expect(page.status).toBe(200);
  });

  // Checks every secret used so far (the other tests add theirs; in a shuffled order some may
  // come after): this test's own secrets in URLs are enough to prove the masking.
  it("never writes a secret to the log, even one sent in a URL", async () => {
    await api(`/api/v1/board?token=${TEST_ADMIN_TOKEN}&api_key=${TEST_ADMIN_TOKEN}`);
    await api(`/wall?token=${TEST_ADMIN_TOKEN}`);
    await api(`/api/v1/auth/me?password=${encodeURIComponent(ADMIN.password)}`, { headers: adminHeaders() });
    await waitUntil("the request log to show the wall page", () =>
      /"url":"\/wall\?token=\[REDACTED\]"/.test(server.output()),
    );
    const log = server.output();
    expect(log).toContain('"msg":"request"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log.includes(secret), `a secret (${secret.slice(0, 6)}…) is in the log`).toBe(false);
      expect(
        log.includes(encodeURIComponent(secret)),
        `a secret (${secret.slice(0, 6)}…) is in the log`,
      ).toBe(false);
    }
  });
});
