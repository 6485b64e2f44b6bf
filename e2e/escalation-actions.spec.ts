import { type APIRequestContext, expect, request, test } from "@playwright/test";
import pg from "pg";
import {
  adminApi,
  claimAsWorker,
  createApiKey,
  createTask,
  createUser,
  getTask,
  raiseDependencyConflict,
  unique,
} from "./api";
import { OWN_ADMIN_TOKEN, ownBrowser, ownDatabase, ownServer } from "./own-server";
import { browserAs, E2E_ADMIN } from "./session";

// Stories: a newly raised escalation appears in an open inbox without a reload, and each action
// of the inbox does what it says, checked on the server: acknowledge, assign (to me, to someone),
// priority, move to another queue, cancel, retry, unblock.

interface Escalation {
  id: string;
  status: string;
  assignee: string | null;
  version: number;
  task: { id: string; state: string; queue: string };
}

async function escalationOf(api: APIRequestContext, taskId: string): Promise<Escalation | undefined> {
  const response = await api.get(`/api/v1/escalations?task_id=${taskId}&status=OPEN,ACKNOWLEDGED,RESOLVED`);
  const body = (await response.json()) as { escalations?: Escalation[] };
  return body.escalations?.[0];
}

async function conflict(api: APIRequestContext) {
  return (await raiseDependencyConflict(api)).dependent;
}

test("a newly raised escalation appears live in an open inbox", async ({ browser }) => {
  const api = await adminApi();
  const manager = await createUser(api, "account_manager");
  const inbox = await browserAs(browser, manager, "/escalations");
  let reloads = 0;
  inbox.page.on("framenavigated", (frame) => {
    if (frame === inbox.page.mainFrame()) reloads++;
  });

  const dependent = await conflict(api);
  const item = inbox.page.getByTestId("escalation-item").filter({ hasText: dependent.id });
  await expect(item).toBeVisible();
  await expect(item).toContainText("Dependency conflict");
  expect(reloads).toBe(0);

  await inbox.context.close();
  await api.dispose();
});

test("acknowledge, assign to me and to someone, change priority and move queue, each done on the server", async ({
  browser,
}) => {
  const api = await adminApi();
  const manager = await createUser(api, "account_manager");
  const dependent = await conflict(api);
  const { context, page } = await browserAs(browser, manager, "/escalations");
  await page.getByTestId("escalation-item").filter({ hasText: dependent.id }).click();
  const detail = page.getByTestId("escalation-detail");
  await expect(detail).toContainText(dependent.id);
  const actions = detail.getByTestId("escalation-actions");

  // Acknowledged: it is the manager's now; then handed to someone else, and taken back.
  await actions.getByRole("button", { name: "Acknowledge" }).click();
  await expect(detail.getByTestId("escalation-status")).toHaveText("ACKNOWLEDGED");
  await expect.poll(async () => (await escalationOf(api, dependent.id))?.status).toBe("ACKNOWLEDGED");
  expect((await escalationOf(api, dependent.id))?.assignee).toContain(manager.email);

  await actions.getByLabel("Assign to (email)").fill(E2E_ADMIN.email);
  await actions.getByRole("button", { name: "Assign", exact: true }).click();
  await expect
    .poll(async () => (await escalationOf(api, dependent.id))?.assignee ?? "")
    .toContain(E2E_ADMIN.email);
  // The detail has the new version before the next action (its emails also appear in the history).
  await expect(detail).toHaveAttribute(
    "data-version",
    String((await escalationOf(api, dependent.id))!.version),
  );
  await expect(detail).toContainText(E2E_ADMIN.email);

  await actions.getByRole("button", { name: "Assign to me" }).click();
  await expect
    .poll(async () => (await escalationOf(api, dependent.id))?.assignee ?? "")
    .toContain(manager.email);
  await expect(detail).toHaveAttribute(
    "data-version",
    String((await escalationOf(api, dependent.id))!.version),
  );
  await expect(detail).toContainText(manager.email);

  await actions.getByLabel("Priority (0-100)").fill("93");
  await actions.getByRole("button", { name: "Change priority" }).click();
  await expect(actions.getByText(`${dependent.id}'s priority is now 93.`)).toBeVisible();
  await expect.poll(async () => (await getTask(api, dependent.id)).priority.score).toBe(93);
  await expect(detail).toHaveAttribute(
    "data-version",
    String((await escalationOf(api, dependent.id))!.version),
  );

  await actions.getByLabel("Queue").selectOption("high_priority");
  await actions.getByRole("button", { name: "Move", exact: true }).click();
  await expect(actions.getByText(`${dependent.id} moved to high_priority; its SLA restarts.`)).toBeVisible();
  await expect.poll(async () => (await getTask(api, dependent.id)).queue.name).toBe("high_priority");

  await context.close();
  await api.dispose();
});

test("cancelling from the inbox asks why, cancels the task and resolves the escalation", async ({
  browser,
}) => {
  const api = await adminApi();
  const manager = await createUser(api, "account_manager");
  const dependent = await conflict(api);
  const { context, page } = await browserAs(browser, manager, `/escalations`);
  await page.getByTestId("escalation-item").filter({ hasText: dependent.id }).click();
  const detail = page.getByTestId("escalation-detail");
  await expect(detail).toContainText(dependent.id);

  await detail.getByRole("button", { name: "Cancel the task" }).click();
  const dialog = page.getByRole("dialog", { name: `Cancel ${dependent.id}` });
  await dialog.getByRole("textbox").fill("Nothing left to do without its blocker");
  await dialog.getByRole("button", { name: "Cancel the task" }).click();

  await expect(detail.getByTestId("escalation-status")).toHaveText("RESOLVED");
  await expect.poll(async () => (await getTask(api, dependent.id)).state.current).toBe("CANCELLED");
  await expect.poll(async () => (await escalationOf(api, dependent.id))?.status).toBe("RESOLVED");

  await context.close();
  await api.dispose();
});

test("retrying a task that failed beyond repair sends it back to its queue and resolves the escalation", async ({
  browser,
}) => {
  const api = await adminApi();
  const skill = unique("fragile");
  const task = await createTask(api, { definition: { title: unique("Fragile"), skill_target: skill } });
  const { worker, workerId } = await claimAsWorker(await createApiKey(api, ["worker"]), skill, task.id);
  const failed = await worker.post(`/api/v1/workers/tasks/${task.id}/fail`, {
    data: { worker_id: workerId, error: "Access to the client's repository denied", recoverable: false },
  });
  expect(failed.status()).toBe(200);
  await worker.dispose();
  await expect.poll(async () => (await escalationOf(api, task.id))?.status).toBe("OPEN");

  const manager = await createUser(api, "account_manager");
  const { context, page } = await browserAs(browser, manager, "/escalations");
  await page.getByTestId("escalation-item").filter({ hasText: task.id }).click();
  const detail = page.getByTestId("escalation-detail");
  await expect(detail).toContainText(task.id);
  await detail.getByRole("button", { name: "Retry the task" }).click();

  await expect(detail.getByTestId("escalation-status")).toHaveText("RESOLVED");
  // Out of FAILED, back in the engine's hands (queued, and handed on to its skill at once).
  await expect.poll(async () => (await getTask(api, task.id)).state.current).not.toBe("FAILED");
  await expect.poll(async () => (await escalationOf(api, task.id))?.status).toBe("RESOLVED");

  await context.close();
  await api.dispose();
});

test("unblocking from the inbox a task blocked for over a day moves it on and resolves the escalation", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // A server of the test's own: the day is skipped by moving the task's stored blocked_since,
  // and the server's escalation sweep, which runs as it starts, sees a task blocked > 24 h.
  const database = await ownDatabase();
  let server = await ownServer(database);
  const api = async () =>
    request.newContext({
      baseURL: server.url,
      extraHTTPHeaders: { authorization: `Bearer ${OWN_ADMIN_TOKEN}` },
    });
  try {
    let admin = await api();
    const skill = unique("stuck");
    const created = await admin.post("/api/v1/tasks", {
      data: { definition: { title: unique("Stuck"), skill_target: skill } },
    });
    const { task } = (await created.json()) as { task: { id: string } };
    const key = await admin.post("/api/v1/api-keys", {
      data: { name: unique("worker"), scopes: ["worker"] },
    });
    const worker = await request.newContext({
      baseURL: server.url,
      extraHTTPHeaders: { authorization: `Bearer ${((await key.json()) as { key: string }).key}` },
    });
    await expect
      .poll(async () => {
        const res = await worker.post("/api/v1/workers/claim", {
          data: { worker_id: "stuck-worker", skills: [skill] },
        });
        return ((await res.json()) as { tasks?: { id: string }[] }).tasks?.map((t) => t.id) ?? [];
      })
      .toContain(task.id);
    const blocked = await worker.post(`/api/v1/workers/tasks/${task.id}/block`, {
      data: { worker_id: "stuck-worker", reason: "Attente validation client" },
    });
    expect(blocked.status()).toBe(200);
    await worker.dispose();
    await admin.dispose();

    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    await sql.query("UPDATE tasks SET blocked_since = now() - interval '25 hours' WHERE id = $1", [task.id]);
    await sql.end();
    const port = Number(new URL(server.url).port);
    expect(await server.stop(), server.output().slice(-4000)).toBe(0);
    server = await ownServer(database, port);
    admin = await api();
    await expect.poll(async () => (await escalationOf(admin, task.id))?.status).toBe("OPEN");

    const { context, page } = await ownBrowser(browser, server, "/escalations");
    await page.getByTestId("escalation-item").filter({ hasText: task.id }).click();
    const detail = page.getByTestId("escalation-detail");
    await expect(detail).toContainText(task.id);
    await detail.getByRole("button", { name: "Unblock the task" }).click();
    await expect(detail.getByTestId("escalation-status")).toHaveText("RESOLVED");
    const state = async () =>
      (
        (await (await admin.get(`/api/v1/tasks/${task.id}`)).json()) as {
          task: { state: { current: string } };
        }
      ).task.state.current;
    await expect.poll(state).not.toBe("BLOCKED");
    await context.close();
    await admin.dispose();
  } finally {
    await server.stop();
    await database.drop();
  }
});
