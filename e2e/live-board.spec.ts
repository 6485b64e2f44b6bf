import { expect, test } from "@playwright/test";
import { login } from "./session";

test("a task created in one browser appears in another without reload", async ({ browser }) => {
  const creator = await browser.newContext();
  const watcher = await browser.newContext();
  const creatorPage = await creator.newPage();
  const watcherPage = await watcher.newPage();

  await login(watcherPage);
  await login(creatorPage);
  await expect(watcherPage.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await expect(creatorPage.getByTestId("board")).toBeVisible();

  // The watcher must not learn of the task by reloading or polling: count its board fetches.
  let watcherBoardFetches = 0;
  watcherPage.on("request", (r) => {
    if (r.url().endsWith("/api/v1/board")) watcherBoardFetches++;
  });

  const title = `Live task ${Date.now()}`;
  const form = creatorPage.getByRole("form", { name: "New task" });
  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("Queue", { exact: true }).selectOption("urgent");
  await form.getByRole("button", { name: "Create task" }).click();

  // Queued, and handed to its skill at once by the dispatcher (SCHEDULED): wherever it is, it is live.
  const card = watcherPage.getByTestId("board").getByTestId("task-card").filter({ hasText: title });
  await expect(card).toBeVisible();
  await expect(card).toContainText("urgent");
  await expect(card).toContainText(/TASK-\d{4}-\d{6}/);
  expect(watcherBoardFetches).toBe(0);

  await creator.close();
  await watcher.close();
});

test("the form refuses an empty title and writes nothing", async ({ page }) => {
  await login(page);
  const countCards = async () =>
    ((await (await page.request.get("/api/v1/board")).json()) as { cards: unknown[] }).cards.length;
  const before = await countCards();
  await page.getByRole("button", { name: "Create task" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Title is required" })).toBeVisible();
  expect(await countCards()).toBe(before);
});

test("a visitor without a session is sent to the login page and a wrong password is refused", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Email").fill("admin@e2e.local");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is wrong" })).toBeVisible();
});
