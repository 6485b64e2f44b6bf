import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteSchedule, PATCH as patchSchedule } from "@/app/api/v1/schedules/[id]/route";
import { POST as runSchedule } from "@/app/api/v1/schedules/[id]/run/route";
import { GET as listSchedules, POST as postSchedule } from "@/app/api/v1/schedules/route";
import { GET as listDeliveries } from "@/app/api/v1/webhooks/[id]/deliveries/route";
import {
  DELETE as deleteWebhook,
  GET as getWebhook,
  PATCH as patchWebhook,
} from "@/app/api/v1/webhooks/[id]/route";
import { POST as testWebhook } from "@/app/api/v1/webhooks/[id]/test/route";
import { POST as inbound } from "@/app/api/v1/webhooks/inbound/[source]/route";
import { GET as listWebhooks, POST as postWebhook } from "@/app/api/v1/webhooks/route";
import { PATCH as patchSource } from "@/app/api/v1/webhooks/sources/[name]/route";
import { GET as listSources, POST as postSource } from "@/app/api/v1/webhooks/sources/route";
import { type AppContext, setAppContext } from "@/server/app-context";
import { createApiKey } from "@/server/auth/api-keys";
import { ADMIN, setupEngine } from "../state/test-support";
import { syncClientIntakeSubscription } from "./client-intake-notifier";
import { type Receiver, startReceiver } from "./test-receiver";

// The webhook and schedule route handlers called in-process (no HTTP server): catalogue
// schemas (400 naming the field), permissions, engine calls, status codes.

const ADMIN_TOKEN = "integration-routes-admin-token-01";
const h = setupEngine({ poolSize: 6 });
const saved = process.env.ORCHESTRATOR_ADMIN_TOKEN;
let readKey: string;
let r: Receiver;

beforeAll(async () => {
  process.env.ORCHESTRATOR_ADMIN_TOKEN = ADMIN_TOKEN;
  setAppContext({ db: h.db, engine: h.ctx, startedAt: h.clock.now() } as unknown as AppContext);
  readKey = (await createApiKey(h.ctx.prisma, h.clock, { name: "reader", scopes: ["read"] }, ADMIN)).key;
  r = await startReceiver();
});

afterAll(async () => {
  setAppContext(undefined);
  process.env.ORCHESTRATOR_ADMIN_TOKEN = saved;
  await r?.close();
});

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P extends Record<string, string>>(
  handler: Handler<P>,
  path: string,
  options: {
    method?: string;
    params?: P;
    body?: unknown;
    token?: string | null;
    headers?: Record<string, string>;
  } = {},
) {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const headers: Record<string, string> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...options.headers,
  };
  const init: RequestInit =
    options.body === undefined
      ? { method: options.method ?? "GET", headers }
      : {
          method: options.method ?? "POST",
          headers: { "content-type": "application/json", ...headers },
          body: typeof options.body === "string" ? options.body : JSON.stringify(options.body),
        };
  const response = await handler(new Request(`http://localhost${path}`, init), {
    params: Promise.resolve((options.params ?? {}) as P),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const fieldPaths = (body: { error: { fields: { path: string }[] } }) => body.error.fields.map((f) => f.path);

describe("webhook routes", () => {
  it("POST /webhooks: 400 naming url for a bad URL, 201 with the secret shown once", async () => {
    for (const url of ["ftp://example.com/x", "https://user:pw@example.com/x", "nope"]) {
      const bad = await call(postWebhook, "/api/v1/webhooks", { body: { url } });
      expect(bad.status, url).toBe(400);
      expect(fieldPaths(bad.body)).toEqual(["url"]);
    }
    const badType = await call(postWebhook, "/api/v1/webhooks", {
      body: { url: r.url, event_types: ["task*"] },
    });
    expect(fieldPaths(badType.body)).toEqual(["event_types.0"]);

    // Other tests of the file write webhook audit rows too: count this one's own.
    const webhookAudits = () => h.db.prisma.auditLog.count({ where: { action: { startsWith: "webhook." } } });
    const auditsBefore = await webhookAudits();
    const created = await call(postWebhook, "/api/v1/webhooks", {
      body: { url: r.url, name: "ops", event_types: ["task.completed"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.webhook).toMatchObject({
      name: "ops",
      enabled: true,
      event_types: ["task.completed"],
    });
    const id = created.body.webhook.id as string;

    const list = await call(listWebhooks, "/api/v1/webhooks");
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    const one = await call(getWebhook, `/api/v1/webhooks/${id}`, { params: { id } });
    expect(one.body.webhook).toMatchObject({
      secret_hint: `${(created.body.secret as string).slice(0, 10)}…`,
      deliveries: { pending: 0, succeeded: 0, failed: 0 },
    });
    expect(one.body.webhook.secret).toBeUndefined();

    const rotated = await call(patchWebhook, `/api/v1/webhooks/${id}`, {
      method: "PATCH",
      params: { id },
      body: { rotate_secret: true, enabled: false },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.webhook.enabled).toBe(false);

    const tested = await call(testWebhook, `/api/v1/webhooks/${id}/test`, { method: "POST", params: { id } });
    expect(tested.status).toBe(200);
    expect(tested.body.delivery).toMatchObject({
      status: "succeeded",
      event_type: "webhook.test",
      last_status_code: 200,
    });
    const [req] = await r.waitFor(1);
    expect(() =>
      new Webhook(rotated.body.secret).verify(req?.body ?? "", {
        "webhook-id": String(req?.headers["webhook-id"]),
        "webhook-timestamp": String(req?.headers["webhook-timestamp"]),
        "webhook-signature": String(req?.headers["webhook-signature"]),
      }),
    ).not.toThrow();

    const log = await call(listDeliveries, `/api/v1/webhooks/${id}/deliveries?status=succeeded&limit=10`, {
      params: { id },
    });
    expect(log.body.deliveries).toHaveLength(1);
    expect(log.body.next_cursor).toBeNull();
    const badQuery = await call(listDeliveries, `/api/v1/webhooks/${id}/deliveries?status=lost`, {
      params: { id },
    });
    expect(fieldPaths(badQuery.body)).toEqual(["status"]);

    const deleted = await call(deleteWebhook, `/api/v1/webhooks/${id}`, { method: "DELETE", params: { id } });
    expect(deleted).toEqual({ status: 200, body: { deleted: id } });
    const gone = await call(getWebhook, `/api/v1/webhooks/${id}`, { params: { id } });
    expect(gone.status).toBe(404);
    expect(await webhookAudits()).toBe(auditsBefore + 4);
  });

  it("needs webhooks:manage; the client-intake notifier is read-only here (409)", async () => {
    expect((await call(listWebhooks, "/api/v1/webhooks", { token: null })).status).toBe(401);
    expect((await call(listWebhooks, "/api/v1/webhooks", { token: readKey })).status).toBe(403);
    await syncClientIntakeSubscription(h.ctx, { url: r.url, secret: "s3cret-shared" });
    const id = "client-intake";
    const one = await call(getWebhook, `/api/v1/webhooks/${id}`, { params: { id } });
    expect(one.body.webhook).toMatchObject({
      kind: "client_intake",
      managed_by_env: true,
      secret_hint: "s3…",
    });
    const patched = await call(patchWebhook, `/api/v1/webhooks/${id}`, {
      method: "PATCH",
      params: { id },
      body: { enabled: false },
    });
    expect(patched.status).toBe(409);
    expect(
      (await call(deleteWebhook, `/api/v1/webhooks/${id}`, { method: "DELETE", params: { id } })).status,
    ).toBe(409);
  });
});

describe("inbound webhook routes", () => {
  it("sources CRUD, then 201 for a signed message, 200 for its replay, 401 for a bad signature, 404 unknown", async () => {
    const bad = await call(postSource, "/api/v1/webhooks/sources", { body: { name: "Has Spaces" } });
    expect(fieldPaths(bad.body)).toEqual(["name"]);
    const noTemplate = await call(postSource, "/api/v1/webhooks/sources", {
      body: { name: "tpl", action: "instantiate_template" },
    });
    expect(noTemplate.status).toBe(400);
    expect(fieldPaths(noTemplate.body)).toEqual(["template_id"]);
    const created = await call(postSource, "/api/v1/webhooks/sources", {
      body: { name: "github", default_queue: "normal", description: "Issues labelled orchestrator" },
    });
    expect(created.status).toBe(201);
    expect(created.body.source).toMatchObject({
      name: "github",
      url_path: "/api/v1/webhooks/inbound/github",
    });
    const secret = created.body.secret as string;
    const dup = await call(postSource, "/api/v1/webhooks/sources", { body: { name: "github" } });
    expect(dup.status).toBe(409);
    expect((await call(listSources, "/api/v1/webhooks/sources")).body.sources).toHaveLength(1);

    const body = JSON.stringify({
      type: "task.create",
      data: { definition: { title: "Issue #42: login broken" } },
    });
    const at = new Date();
    const headers = {
      "webhook-id": "msg_github_42",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_github_42", at, body),
    };
    const send = (source: string, sig: Record<string, string>, payload = body) =>
      call(inbound, `/api/v1/webhooks/inbound/${source}`, {
        params: { source },
        token: null,
        headers: sig,
        body: payload,
      });

    const first = await send("github", headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source: "github", webhook_id: "msg_github_42", replayed: false });
    expect(first.body.tasks[0]).toMatchObject({
      definition: { title: "Issue #42: login broken" },
      queue: { name: "normal" },
    });
    const again = await send("github", headers);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(again.body.tasks[0].id).toBe(first.body.tasks[0].id);

    const forged = await send("github", { ...headers, "webhook-id": "msg_forged" });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("UNAUTHENTICATED");
    expect((await send("github", {})).status).toBe(401);
    expect((await send("gitlab", headers)).status).toBe(404);
    await call(patchSource, "/api/v1/webhooks/sources/github", {
      method: "PATCH",
      params: { name: "github" },
      body: { enabled: false },
    });
    expect((await send("github", headers)).status).toBe(404);
    expect(await h.db.prisma.task.count({ where: { title: "Issue #42: login broken" } })).toBe(1);
  });
});

describe("schedule routes", () => {
  it("400 naming cron or timezone; 201; run now answers the tasks; PATCH; DELETE", async () => {
    const task = { definition: { title: "Monthly invoice review" } };
    const badCron = await call(postSchedule, "/api/v1/schedules", {
      body: { name: "m", cron: "0 9 32 * *", task },
    });
    expect(badCron.status).toBe(400);
    expect(fieldPaths(badCron.body)).toEqual(["cron"]);
    const badZone = await call(postSchedule, "/api/v1/schedules", {
      body: { name: "m", cron: "0 9 1 * *", timezone: "CET+1", task },
    });
    expect(fieldPaths(badZone.body)).toEqual(["timezone"]);
    const both = await call(postSchedule, "/api/v1/schedules", {
      body: { name: "m", cron: "0 9 1 * *", task, template_id: "ecommerce-redesign" },
    });
    expect(fieldPaths(both.body)).toEqual(["template_id"]);

    const created = await call(postSchedule, "/api/v1/schedules", {
      body: { name: "Monthly invoices", cron: "0 9 1 * *", timezone: "Europe/Paris", task },
    });
    expect(created.status).toBe(201);
    const id = created.body.schedule.id as string;
    expect(created.body.schedule).toMatchObject({
      next_run_at: "2026-04-01T07:00:00.000Z",
      created_by: "admin-token",
    });

    const ran = await call(runSchedule, `/api/v1/schedules/${id}/run`, { method: "POST", params: { id } });
    expect(ran.status).toBe(201);
    expect(ran.body.tasks).toHaveLength(1);
    expect(ran.body.tasks[0].definition.title).toBe("Monthly invoice review");
    expect(ran.body.schedule.run_count).toBe(1);

    const patched = await call(patchSchedule, `/api/v1/schedules/${id}`, {
      method: "PATCH",
      params: { id },
      body: { expected_version: 1, missed_run_policy: "skip" },
    });
    expect(patched.body.schedule).toMatchObject({ missed_run_policy: "skip", version: 2 });
    const stale = await call(patchSchedule, `/api/v1/schedules/${id}`, {
      method: "PATCH",
      params: { id },
      body: { expected_version: 1, name: "x" },
    });
    expect(stale.status).toBe(409);
    expect((await call(listSchedules, "/api/v1/schedules")).body.schedules).toHaveLength(1);
    expect((await call(listSchedules, "/api/v1/schedules", { token: readKey })).status).toBe(403);
    const deleted = await call(deleteSchedule, `/api/v1/schedules/${id}`, {
      method: "DELETE",
      params: { id },
    });
    expect(deleted).toEqual({ status: 200, body: { deleted: id } });
    const missing = await call(runSchedule, `/api/v1/schedules/${id}/run`, {
      method: "POST",
      params: { id },
    });
    expect(missing.status).toBe(404);
  });
});
