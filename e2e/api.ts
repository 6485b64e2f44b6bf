import { type APIRequestContext, expect, request } from "@playwright/test";
import type { SeedTask } from "@/lib/seed-format";

// Setting up e2e data over the API with the admin token (playwright.config.ts sets it on the
// server), as machines and admins do; the browser then does what the user story says.

export const ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";
// playwright.config.ts sets E2E_PORT (a free port unless given) before the workers start.
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

/** Unique per run, so specs never trip over each other's data. */
export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

export async function apiAs(token: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
}

export const adminApi = () => apiAs(ADMIN_TOKEN);

async function json<T>(response: Awaited<ReturnType<APIRequestContext["post"]>>): Promise<T> {
  const body = await response.text();
  expect(response.ok(), `${response.url()} → ${response.status()} ${body}`).toBe(true);
  return JSON.parse(body) as T;
}

export type Role = "admin" | "operator" | "account_manager" | "viewer";

/** A person with a role, ready to log in with e2e/session.ts login(). */
export async function createUser(api: APIRequestContext, role: Role) {
  const email = `${unique(role.replace("_", "-"))}@e2e.local`;
  const password = "e2e-password-1234";
  await json(await api.post("/api/v1/users", { data: { email, name: `E2E ${role}`, role, password } }));
  return { email, password };
}

export async function createTask(api: APIRequestContext, body: Record<string, unknown>): Promise<SeedTask> {
  return (await json<{ task: SeedTask }>(await api.post("/api/v1/tasks", { data: body }))).task;
}

export async function getTask(api: APIRequestContext, id: string): Promise<SeedTask> {
  return (await json<{ task: SeedTask }>(await api.get(`/api/v1/tasks/${id}`))).task;
}

export async function transition(api: APIRequestContext, id: string, to: string, reason?: string) {
  return json<{ task: SeedTask }>(
    await api.post(`/api/v1/tasks/${id}/transition`, { data: { to, ...(reason ? { reason } : {}) } }),
  );
}

export async function createApiKey(api: APIRequestContext, scopes: string[]): Promise<string> {
  const body = await json<{ key: string }>(
    await api.post("/api/v1/api-keys", { data: { name: unique(scopes.join("+")), scopes } }),
  );
  return body.key;
}

/** An executor over the worker API that has claimed `taskId` (dispatched to its skill). */
export async function claimAsWorker(workerToken: string, skill: string, taskId: string) {
  const worker = await apiAs(workerToken);
  const workerId = unique("e2e-worker");
  // The dispatcher hands the task to its skill (QUEUED → SCHEDULED) as soon as a slot is free.
  await expect
    .poll(
      async () => {
        const res = await worker.post("/api/v1/workers/claim", {
          data: { worker_id: workerId, skills: [skill] },
        });
        const claimed = (await res.json()) as { tasks?: { id: string }[] };
        return claimed.tasks?.map((t) => t.id) ?? [];
      },
      { message: `a worker claims ${taskId}` },
    )
    .toContain(taskId);
  return { worker, workerId };
}

/** An executor over the worker API: claims its skill's dispatched task and completes it. */
export async function completeAsWorker(
  api: APIRequestContext,
  workerToken: string,
  skill: string,
  taskId: string,
) {
  const { worker, workerId } = await claimAsWorker(workerToken, skill, taskId);
  await json(
    await worker.post(`/api/v1/workers/tasks/${taskId}/complete`, { data: { worker_id: workerId } }),
  );
  await worker.dispose();
  expect((await getTask(api, taskId)).state.current).toBe("COMPLETED");
}

/**
 * An open escalation: the blocker of a waiting task is cancelled (a dependency conflict), and
 * the engine escalates the dependent. Returns both tasks once the escalation is there.
 */
export async function raiseDependencyConflict(api: APIRequestContext) {
  const blocker = await createTask(api, {
    definition: { title: unique("Dropped blocker"), skill_target: unique("skill") },
  });
  const dependent = await createTask(api, {
    definition: { title: unique("Waiting dependent") },
    queue: { name: "normal" },
    dependencies: { blocked_by: [blocker.id] },
  });
  await transition(api, blocker.id, "CANCELLED", "The client dropped this part");
  await expect
    .poll(async () => {
      const res = await api.get(`/api/v1/escalations?task_id=${dependent.id}`);
      return ((await res.json()) as { escalations?: unknown[] }).escalations?.length ?? 0;
    })
    .toBeGreaterThan(0);
  return { blocker, dependent };
}

export async function escalationCount(api: APIRequestContext): Promise<number> {
  return (await json<{ open: number }>(await api.get("/api/v1/escalations/count"))).open;
}
