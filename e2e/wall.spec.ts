import { expect, test } from "@playwright/test";
import { adminApi, completeAsWorker, createApiKey, createTask, unique } from "./api";

// Story: the wall display (no login, a wall token) shows the KPIs, and they change when a task completes.

test("the wall display's KPIs change when a task completes", async ({ page }) => {
  const api = await adminApi();
  const wallToken = await createApiKey(api, ["wall"]);
  const workerToken = await createApiKey(api, ["worker"]);
  const skill = unique("wall-skill");
  const task = await createTask(api, { definition: { title: unique("Wall task"), skill_target: skill } });

  await page.goto(`/wall?token=${wallToken}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await expect(page.getByRole("navigation")).toHaveCount(0);
  const throughput = page.locator('[data-testid="kpi"][data-kpi="throughput"]');
  await expect(throughput).toContainText("done in 24 h");
  const done = async () => Number(/(\d+) done in 24 h/.exec((await throughput.textContent()) ?? "")?.[1]);
  const before = await done();
  await expect(page.locator('[data-testid="kpi"]')).toHaveCount(7);
  await expect(page.getByTestId("queue-gauge")).toHaveCount(7);

  await completeAsWorker(api, workerToken, skill, task.id);
  await expect.poll(done).toBe(before + 1);
  await api.dispose();
});

test("the wall refuses a token that is not valid", async ({ page }) => {
  await page.goto("/wall?token=tok_not-a-real-token");
  await expect(page.getByRole("alert").filter({ hasText: "not valid" })).toBeVisible();
});
