import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as postAction } from "@/app/api/v1/escalations/[id]/actions/route";
import { GET as getOne } from "@/app/api/v1/escalations/[id]/route";
import { GET as getCount } from "@/app/api/v1/escalations/count/route";
import { GET as getList } from "@/app/api/v1/escalations/route";
import { type AppContext, setAppContext } from "@/server/app-context";
import { createApiKey } from "@/server/auth/api-keys";
import { ADMIN, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { raiseEscalation } from "./raise";
import { failedTask, resetTables } from "./test-helpers";

// The escalation route handlers called in-process (no HTTP server): catalogue schemas,
// permissions, engine calls and error mapping. The admin token acts as an admin.

const ADMIN_TOKEN = "escalation-routes-admin-token-01";
const h = setupEngine();
const saved = process.env.ORCHESTRATOR_ADMIN_TOKEN;
let readOnlyKey: string;
let workerKey: string;

beforeAll(async () => {
  process.env.ORCHESTRATOR_ADMIN_TOKEN = ADMIN_TOKEN;
  setAppContext({ db: h.db, engine: h.ctx, startedAt: h.clock.now() } as unknown as AppContext);
  readOnlyKey = (await createApiKey(h.ctx.prisma, h.clock, { name: "reader", scopes: ["read"] }, ADMIN)).key;
  workerKey = (await createApiKey(h.ctx.prisma, h.clock, { name: "worker", scopes: ["worker"] }, ADMIN)).key;
});

afterAll(() => {
  setAppContext(undefined);
  process.env.ORCHESTRATOR_ADMIN_TOKEN = saved;
});

beforeEach(async () => {
  await resetTables(h.ctx);
});

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

function call<P extends Record<string, string>>(
  handler: Handler<P>,
  path: string,
  options: { params?: P; body?: unknown; token?: string | null } = {},
) {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const init: RequestInit =
    options.body === undefined
      ? { headers }
      : {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(options.body),
        };
  return handler(new Request(`http://localhost${path}`, init), {
    params: Promise.resolve((options.params ?? {}) as P),
  });
}

async function escalation(reason: "retries_exhausted" | "blocked_over_24h" = "retries_exhausted") {
  const task = await failedTask(h.ctx);
  const { escalation } = await inTransaction(h.ctx, (tx, at) =>
    raiseEscalation(tx, at, { task, reason, context: { current_state: task.state } }, SYSTEM),
  );
  return { task, escalation };
}

const action = (id: string, body: unknown, token?: string | null) =>
  call(postAction, `/api/v1/escalations/${id}/actions`, { params: { id }, body, token });

describe("GET /api/v1/escalations, /count, /{id}", () => {
  it("lists in the seed's format, counts, and reads one", async () => {
    const { task, escalation: esc } = await escalation();
    await newTask(h.ctx);

    const list = await call(getList, "/api/v1/escalations?reason=retries_exhausted&limit=10");
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.next_cursor).toBeNull();
    expect(body.escalations).toHaveLength(1);
    expect(Object.keys(body.escalations[0].escalation).sort()).toEqual(
      ["context", "deadline", "escalated_to", "reason", "suggested_action", "task_id", "urgency"].sort(),
    );
    expect(body.escalations[0]).toMatchObject({
      id: esc.id,
      status: "OPEN",
      escalation: { task_id: task.id },
    });

    const count = await call(getCount, "/api/v1/escalations/count");
    expect(await count.json()).toEqual({
      open: 1,
      unacknowledged: 1,
      overdue: 0,
      by_urgency: { critical: 0, high: 1, medium: 0, low: 0 },
    });

    const one = await call(getOne, `/api/v1/escalations/${esc.id}`, { params: { id: esc.id } });
    expect((await one.json()).id).toBe(esc.id);
    const missing = "ESC-00000000-0000-0000-0000-000000000000";
    expect((await call(getOne, `/api/v1/escalations/${missing}`, { params: { id: missing } })).status).toBe(
      404,
    );
    const bad = await call(getOne, "/api/v1/escalations/nope", { params: { id: "nope" } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields[0].path).toBe("id");
  });

  it("names the bad query parameter", async () => {
    const response = await call(getList, "/api/v1/escalations?status=CLOSED&reason=bored");
    expect(response.status).toBe(400);
    const paths = (await response.json()).error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["status.0", "reason.0"]));
  });

  it("needs escalations:read: 401 without credentials, 403 for a worker key, 200 for a read key", async () => {
    expect((await call(getList, "/api/v1/escalations", { token: null })).status).toBe(401);
    expect((await call(getCount, "/api/v1/escalations/count", { token: workerKey })).status).toBe(403);
    expect((await call(getCount, "/api/v1/escalations/count", { token: readOnlyKey })).status).toBe(200);
  });
});

describe("POST /api/v1/escalations/{id}/actions", () => {
  it("acts, answering with the escalation after the action", async () => {
    const { task, escalation: esc } = await escalation();
    const response = await action(esc.id, { action: "retry", expected_version: 1 });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: esc.id,
      status: "RESOLVED",
      version: 2,
      also_resolved: [],
      task: { id: task.id, state: "IN_PROGRESS" },
    });
  });

  it("400 names each action's missing field, or an unknown action", async () => {
    const { escalation: esc } = await escalation();
    const cases: [unknown, string][] = [
      [{ action: "resolve" }, "note"],
      [{ action: "resolve", note: "   " }, "note"],
      [{ action: "cancel" }, "reason"],
      [{ action: "assign" }, "assignee"],
      [{ action: "set_priority" }, "score"],
      [{ action: "set_priority", score: 150 }, "score"],
      [{ action: "move_queue" }, "queue"],
      [{ action: "move_queue", queue: "vip" }, "queue"],
      [{ action: "escalate_more" }, "action"],
      [{}, "action"],
      [{ action: "acknowledge", expected_version: "2" }, "expected_version"],
    ];
    for (const [body, field] of cases) {
      const response = await action(esc.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = (await response.json()).error;
      expect(error.code).toBe("VALIDATION");
      expect(error.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
  });

  it("409 STALE_VERSION with the current escalation; 409 CONFLICT once resolved", async () => {
    const { escalation: esc } = await escalation();
    expect((await action(esc.id, { action: "acknowledge" })).status).toBe(200);
    const stale = await action(esc.id, { action: "resolve", note: "x", expected_version: 1 });
    expect(stale.status).toBe(409);
    const staleError = (await stale.json()).error;
    expect(staleError).toMatchObject({
      code: "STALE_VERSION",
      currentVersion: 2,
      current: { id: esc.id, version: 2 },
    });
    expect((await action(esc.id, { action: "resolve", note: "Handled", expected_version: 2 })).status).toBe(
      200,
    );
    const late = await action(esc.id, { action: "acknowledge" });
    expect(late.status).toBe(409);
    expect((await late.json()).error.code).toBe("CONFLICT");
  });

  it("needs escalations:act: 403 for a read-only key", async () => {
    const { escalation: esc } = await escalation();
    expect((await action(esc.id, { action: "acknowledge" }, readOnlyKey)).status).toBe(403);
    expect((await action(esc.id, { action: "acknowledge" }, null)).status).toBe(401);
  });
});
