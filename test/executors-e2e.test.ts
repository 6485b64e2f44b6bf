import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { type Receiver, startReceiver } from "@/server/engine/integrations/test-receiver";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";
import { waitFor as waitUntil } from "./wait-for";

// Executors per skill through the real server (production build, its engine and integrations
// on): the /skills API with its validation; a webhook skill receiving a signed task.dispatched
// at a real receiver and answering through the worker API; a human skill's task assigned to the
// team, never claimed by a worker, started and completed by an operator.

interface ErrorBody {
  error: { code: string; fields: { path: string }[] };
}

interface Dispatched {
  type: string;
  data: {
    task: SeedTask;
    worker_id: string;
    lease: { expires_at: string; duration_seconds: number };
    callbacks: { heartbeat: string; complete: string; fail: string; block: string };
  };
}

describe("executors over HTTP", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let receiver: Receiver;
  let workerKey: string;
  let operatorCookie: string;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    receiver = await startReceiver();
    server = await startServer({
      DATABASE_URL: db.url,
      ORCHESTRATOR_ENGINE: "1",
      ORCHESTRATOR_SIMULATOR: "0",
    });
    const key = await api("/api/v1/api-keys", { body: { name: "skill-key", scopes: ["worker"] } });
    workerKey = ((await key.json()) as { key: string }).key;
    await api("/api/v1/users", {
      body: { email: "olivia@e2e.local", name: "Olivia", role: "operator", password: "operator-password-1" },
    });
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "olivia@e2e.local", password: "operator-password-1" }),
    });
    expect(login.status).toBe(200);
    operatorCookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await db?.drop();
  });

  function api(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    return fetch(`${server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        ...(init.headers ?? adminHeaders()),
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }
  const workerHeaders = () => ({ authorization: `Bearer ${workerKey}` });
  const operatorHeaders = () => ({ cookie: operatorCookie, origin: server.url });

  async function fieldsOf(response: Response): Promise<string[]> {
    expect(response.status).toBe(400);
    return ((await response.json()) as ErrorBody).error.fields.map((f) => f.path);
  }

  async function createTask(title: string, skill: string): Promise<string> {
    const response = await api("/api/v1/tasks", {
      body: {
        definition: { title, type: "development", skill_target: skill },
        queue: { name: "high_priority" },
      },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { task: SeedTask }).task.id;
  }

  const waitFor = (what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) =>
    waitUntil(what, probe, { timeoutMs, context: () => server.output().slice(-2_000) });
  const taskOf = (id: string) => db.prisma.task.findUniqueOrThrow({ where: { id } });

  it("configures executors per skill, refusing bad input by field", async () => {
    expect(
      await fieldsOf(
        await api("/api/v1/skills", { body: { skill: "x", kind: "webhook", url: "ftp://example.com/x" } }),
      ),
    ).toEqual(["url"]);
    expect(await fieldsOf(await api("/api/v1/skills", { body: { skill: "x", kind: "robot" } }))).toEqual([
      "kind",
    ]);
    expect(await fieldsOf(await api("/api/v1/skills", { body: { skill: "x", kind: "webhook" } }))).toEqual([
      "url",
    ]);
    expect(await fieldsOf(await api("/api/v1/skills", { body: { skill: "x", kind: "human" } }))).toEqual([
      "team",
    ]);
    expect(
      await fieldsOf(await api("/api/v1/skills", { body: { skill: "bad name!", kind: "worker" } })),
    ).toEqual(["skill"]);
    // Executor configuration is webhooks:manage (admins), not an operator's.
    expect((await api("/api/v1/skills", { headers: operatorHeaders() })).status).toBe(403);

    // A skill named like the seed's, with slashes: encoded in the path.
    const skill = "project-management/avant-projet/brief-analysis";
    const path = `/api/v1/skills/${encodeURIComponent(skill)}`;
    const made = await api("/api/v1/skills", { body: { skill, kind: "human", team: "pm-team" } });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { secret?: string }).secret).toBeUndefined();
    expect((await api("/api/v1/skills", { body: { skill, kind: "worker" } })).status).toBe(409);

    const read = await api(path);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { executor: unknown }).executor).toMatchObject({
      skill,
      kind: "human",
      team: "pm-team",
      enabled: true,
    });
    expect(
      await fieldsOf(await api(path, { method: "PATCH", body: { url: "https://x.example.com" } })),
    ).toEqual(["url"]);
    const patched = await api(path, {
      method: "PATCH",
      body: { team: "pm-squad", description: "Brief analysis" },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { executor: { team: string } }).executor.team).toBe("pm-squad");
    const list = (await (await api("/api/v1/skills")).json()) as { skills: { skill: string }[] };
    expect(list.skills.map((s) => s.skill)).toContain(skill);

    expect((await api(path, { method: "DELETE" })).status).toBe(200);
    expect((await api(path)).status).toBe(404);
  });

  it("pushes a dispatched task to a webhook skill, signed, which completes it through the worker API", async () => {
    const made = await api("/api/v1/skills", {
      body: { skill: "render", kind: "webhook", url: receiver.url, lease_seconds: 120 },
    });
    expect(made.status).toBe(201);
    const { executor, secret } = (await made.json()) as {
      executor: { worker_id: string; secret_hint: string };
      secret: string;
    };
    expect(secret).toMatch(/^whsec_/);
    expect(executor.worker_id).toBe("webhook:render");

    const id = await createTask("Render the hero video", "render");
    const [request] = await receiver.waitFor(1, 20_000);
    const message = new Webhook(secret).verify(request!.body, {
      "webhook-id": String(request!.headers["webhook-id"]),
      "webhook-timestamp": String(request!.headers["webhook-timestamp"]),
      "webhook-signature": String(request!.headers["webhook-signature"]),
    }) as Dispatched;
    expect(message.type).toBe("task.dispatched");
    expect(message.data.task).toMatchObject({
      id,
      state: { current: "IN_PROGRESS", previous: "SCHEDULED" },
      execution: { assigned_to: "webhook:render" },
    });
    expect(message.data.worker_id).toBe("webhook:render");
    expect(message.data.lease.duration_seconds).toBe(120);
    const callbackPath = (url: string) => {
      expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/v1\/workers\/tasks\//);
      return new URL(url).pathname;
    };
    expect(callbackPath(message.data.callbacks.complete)).toBe(`/api/v1/workers/tasks/${id}/complete`);

    // Not claimable by pull workers while pushed.
    const claim = await api("/api/v1/workers/claim", {
      headers: workerHeaders(),
      body: { worker_id: "puller", skills: ["render", "*"] },
    });
    expect(((await claim.json()) as { tasks: unknown[] }).tasks).toEqual([]);

    // The skill answers with its worker_id and an API key of scope worker.
    const beat = await api(callbackPath(message.data.callbacks.heartbeat), {
      headers: workerHeaders(),
      body: { worker_id: "webhook:render", progress_percent: 50 },
    });
    expect(beat.status).toBe(200);
    const done = await api(callbackPath(message.data.callbacks.complete), {
      headers: workerHeaders(),
      body: { worker_id: "webhook:render", output: { deliverables: ["hero.mp4"] } },
    });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { task: SeedTask }).task).toMatchObject({
      state: { current: "COMPLETED" },
      output: { deliverables: ["hero.mp4"] },
    });
    const history = await db.prisma.taskStateHistory.findMany({
      where: { taskId: id },
      orderBy: { id: "asc" },
    });
    expect(history.map((h) => [h.state, h.actor])).toEqual([
      ["CREATED", "admin-token"],
      ["QUEUED", "admin-token"],
      ["SCHEDULED", "task-orchestrator/execution"],
      ["IN_PROGRESS", "worker:webhook:render"],
      ["COMPLETED", "worker:webhook:render"],
    ]);
    const read = (await (await api("/api/v1/skills/render")).json()) as {
      executor: { deliveries: Record<string, number> };
    };
    expect(read.executor.deliveries).toEqual({ pending: 0, succeeded: 1, failed: 0 });
    // The push channel is not an outbound subscription.
    const webhooks = (await (await api("/api/v1/webhooks")).json()) as { webhooks: unknown[] };
    expect(webhooks.webhooks).toEqual([]);
  }, 60_000);

  it("assigns a human skill's task to the team; an operator starts and completes it", async () => {
    expect(
      (await api("/api/v1/skills", { body: { skill: "ux-review", kind: "human", team: "ux-team" } })).status,
    ).toBe(201);
    const id = await createTask("Review the checkout flow", "ux-review");
    await waitFor("dispatch", async () => (await taskOf(id)).state === "SCHEDULED");
    const scheduled = (await (await api(`/api/v1/tasks/${id}`)).json()) as { task: SeedTask };
    expect(scheduled.task.execution.assigned_to).toBe("ux-team");

    const claim = await api("/api/v1/workers/claim", {
      headers: workerHeaders(),
      body: { worker_id: "puller", skills: ["ux-review"] },
    });
    expect(((await claim.json()) as { tasks: unknown[] }).tasks).toEqual([]);

    const start = await api(`/api/v1/tasks/${id}/transition`, {
      headers: operatorHeaders(),
      body: { to: "IN_PROGRESS" },
    });
    expect(start.status).toBe(200);
    // People hold no lease: nothing expires while they work.
    expect(await taskOf(id)).toMatchObject({
      state: "IN_PROGRESS",
      leaseExpiresAt: null,
      assignedTo: "ux-team",
    });
    const finish = await api(`/api/v1/tasks/${id}/transition`, {
      headers: operatorHeaders(),
      body: { to: "COMPLETED" },
    });
    expect(finish.status).toBe(200);
    expect((await taskOf(id)).state).toBe("COMPLETED");
    const actors = await db.prisma.taskStateHistory.findMany({
      where: { taskId: id },
      orderBy: { id: "asc" },
    });
    expect(actors.slice(-2).map((h) => [h.state, h.actor])).toEqual([
      ["IN_PROGRESS", expect.stringMatching(/^user:/)],
      ["COMPLETED", expect.stringMatching(/^user:/)],
    ]);
  }, 60_000);
});
