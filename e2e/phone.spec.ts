import { expect, test } from "@playwright/test";
import { adminApi, createTask, createUser, escalationCount, transition, unique } from "./api";
import { login } from "./session";

// A phone (390 px): the inbox, the board and the navigation fit the screen; "Log out" is on it.

test("the inbox, the board and the navigation fit a 390 px phone", async ({ browser }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Phone blocker"), skill_target: unique("skill") },
  });
  await createTask(api, {
    definition: { title: unique("A rather long title for a task that waits on a cancelled blocker") },
    dependencies: { blocked_by: [blocker.id] },
  });
  await transition(api, blocker.id, "CANCELLED", "Dropped");
  await expect.poll(() => escalationCount(api)).toBeGreaterThan(0);
  const manager = await createUser(api, "account_manager");
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const page = await context.newPage();
  await login(page, manager);

  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await expect(page.getByTestId("task-card").first()).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  const logout = page.getByRole("button", { name: "Log out" });
  await expect(logout).toBeInViewport();

  await page.goto("/escalations");
  await expect(page.getByTestId("escalation-detail")).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  const item = page.getByTestId("escalation-item").first();
  const box = (await item.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await context.close();
  await api.dispose();
});
