import { expect, test } from "@playwright/test";
import { adminApi, createUser, escalationCount, raiseDependencyConflict } from "./api";
import { browserAs } from "./session";

// Story: an account manager resolves an escalation from the inbox, and the badge count drops in
// a second browser.

test("an account manager resolves an escalation and the badge drops in another browser", async ({
  browser,
}) => {
  const api = await adminApi();
  // A dependency conflict: the blocker of a waiting task is cancelled → the engine escalates.
  const { blocker, dependent } = await raiseDependencyConflict(api);

  const manager = await createUser(api, "account_manager");
  const watcher = await browserAs(browser, manager, "/");
  const inbox = await browserAs(browser, manager, "/escalations");

  const badge = watcher.page.getByTestId("escalation-count");
  const before = await escalationCount(api);
  await expect(badge).toHaveAttribute("data-count", String(before));

  const item = inbox.page.getByTestId("escalation-item").filter({ hasText: dependent.id });
  await expect(item).toContainText("Dependency conflict");
  await item.click();
  const detail = inbox.page.getByTestId("escalation-detail");
  await expect(detail).toContainText(dependent.id);
  await expect(detail).toContainText("Suggested action");
  await expect(detail).toContainText(blocker.id);

  await detail.getByRole("button", { name: "Resolve with a note" }).click();
  const dialog = inbox.page.getByRole("dialog", { name: "Resolve the escalation" });
  await dialog.getByLabel("What was done?").fill("Called the client: the dependent goes ahead without it");
  await dialog.getByRole("button", { name: "Resolve" }).click();

  await expect(detail.getByTestId("escalation-status")).toHaveText("RESOLVED");
  await expect(item).toHaveCount(0);
  // The other browser, without reloading.
  await expect(badge).toHaveAttribute("data-count", String(before - 1));

  await watcher.context.close();
  await inbox.context.close();
  await api.dispose();
});
