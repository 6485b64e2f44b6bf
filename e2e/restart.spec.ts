import { type APIRequestContext, expect, request, test } from "@playwright/test";
import pg from "pg";
import type { SeedTask } from "@/lib/seed-format";
import type { RunningServer } from "../test/server-process";
import { unique } from "./api";
import { OWN_ADMIN_TOKEN, type OwnDatabase, ownBrowser, ownDatabase, ownServer } from "./own-server";

// Stories: the server restarts under an open board and an open wall. While it is down the
// browser says so; what changed meanwhile (through another instance on the same database) is
// fetched again when the socket comes back, without a reload.

let database: OwnDatabase;
let server: RunningServer;
let other: RunningServer;
let viaOther: APIRequestContext;

test.beforeEach(async () => {
  database = await ownDatabase();
  server = await ownServer(database);
  // A second instance on the same database: changes go on while the first is down.
  other = await ownServer(database);
  viaOther = await request.newContext({
    baseURL: other.url,
    extraHTTPHeaders: { authorization: `Bearer ${OWN_ADMIN_TOKEN}` },
  });
});

test.afterEach(async () => {
  await viaOther?.dispose();
  await server?.stop();
  await other?.stop();
  await database?.drop();
});

async function created(api: APIRequestContext, body: Record<string, unknown>): Promise<SeedTask> {
  const response = await api.post("/api/v1/tasks", { data: body });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { task: SeedTask }).task;
}

/** Stops the browser's server and starts it again at the same address, doing `meanwhile` in between. */
async function restart(meanwhile: () => Promise<void>): Promise<void> {
  const port = Number(new URL(server.url).port);
  const code = await server.stop();
  expect(code, server.output().slice(-4000)).toBe(0);
  await meanwhile();
  server = await ownServer(database, port);
}

test("the board says it is reconnecting while its server restarts, then fetches what changed meanwhile", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await ownBrowser(browser, server);
  let navigations = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  const board = page.getByTestId("board");
  const before = await created(viaOther, {
    definition: { title: unique("Before") },
    queue: { name: "normal" },
  });
  await expect(board.locator(`[data-task-id="${before.id}"]`)).toBeVisible();

  let meanwhile: SeedTask | undefined;
  await restart(async () => {
    await expect(page.getByTestId("live-status")).not.toHaveAttribute("data-status", "live");
    meanwhile = await created(viaOther, {
      definition: { title: unique("Made while it was down") },
      queue: { name: "normal" },
    });
  });

  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await expect(board.locator(`[data-task-id="${meanwhile?.id}"]`)).toBeVisible();
  // And live again: a change after the restart arrives as an event.
  const after = await created(viaOther, {
    definition: { title: unique("After") },
    queue: { name: "normal" },
  });
  await expect(board.locator(`[data-task-id="${after.id}"]`)).toBeVisible();
  expect(navigations).toBe(0);
  await context.close();
});

test("the wall's at-risk list shows a task close to its SLA and recovers after a server restart", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const key = await viaOther.post("/api/v1/api-keys", { data: { name: unique("wall"), scopes: ["wall"] } });
  const wallToken = ((await key.json()) as { key: string }).key;
  const urgent = await created(viaOther, {
    definition: { title: unique("Urgent") },
    queue: { name: "urgent" },
  });
  const relaxed = await created(viaOther, {
    definition: { title: unique("Relaxed") },
    queue: { name: "normal" },
  });

  // An hour and a half skipped for the urgent task, without waiting: its clock's inputs (entry
  // in the queue, its history) moved back 90 minutes and its deadline with them, to half an
  // hour from now (the wall counts against the server's clock, so the browser's cannot be moved
  // instead). Moving the deadline alone lost a race on a loaded machine: the engine refreshing
  // the clock after hearing of the creation wrote it back from the history. The normal one
  // (24 h) stays far from its deadline.
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  await sql.query("UPDATE task_state_history SET at = at - interval '90 minutes' WHERE task_id = $1", [
    urgent.id,
  ]);
  await sql.query(
    `UPDATE tasks SET created_at = created_at - interval '90 minutes',
       queue_entered_at = queue_entered_at - interval '90 minutes',
       sla_deadline = queue_entered_at - interval '90 minutes' + interval '2 hours'
     WHERE id = $1`,
    [urgent.id],
  );
  await sql.end();

  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/wall?token=${wallToken}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  const atRisk = page.getByRole("region", { name: "At risk of SLA breach" });
  await expect(atRisk).toContainText(urgent.id);
  await expect(atRisk).not.toContainText(relaxed.id);

  await restart(async () => {
    await expect(page.getByTestId("live-status")).not.toHaveAttribute("data-status", "live");
    const cancelled = await viaOther.post(`/api/v1/tasks/${urgent.id}/transition`, {
      data: { to: "CANCELLED", reason: "The client withdrew it" },
    });
    expect(cancelled.status()).toBe(200);
  });

  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await expect(atRisk).not.toContainText(urgent.id);
  await expect(atRisk).toContainText("Every task is within its SLA.");
  await context.close();
});
