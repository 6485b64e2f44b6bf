import { expect, test } from "@playwright/test";
import { adminApi, createTask, createUser, getTask, unique } from "./api";
import { browserAs } from "./session";

// Forms never lose what was typed: a decimal in either notation, and a blocker typed into the
// picker without picking it from the list is resolved, or the form refuses and says why.

test("a blocker typed but not picked is resolved to its task, and 3,5 hours are saved as 3.5", async ({
  browser,
}) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Typed blocker"), skill_target: unique("skill") },
  });
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/tasks/new");
  const form = page.getByRole("form", { name: "Create a task" });
  const title = unique("Typed dependency");
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Estimated hours").fill("3,5");
  await form.getByRole("combobox", { name: "Blocked by" }).fill(blocker.id);
  // Not picked from the list: straight to the button.
  await form.getByRole("button", { name: "Create task" }).click();

  const notice = page.getByRole("status").filter({ hasText: "Created" });
  await expect(notice).toContainText(title);
  const id = (await notice.getByRole("link").first().textContent())!.trim();
  const saved = await getTask(api, id);
  expect(saved.dependencies.blocked_by).toEqual([blocker.id]);
  expect(saved.execution.estimated_duration_hours).toBe(3.5);

  await page.goto(`/tasks/${id}`);
  await expect(page.getByText("3.5 h")).toBeVisible();
  await expect(page.getByTestId("state-timeline")).not.toContainText(/\b(AM|PM)\b/);
  await context.close();
  await api.dispose();
});

test("a blocker that names no task stops the form with a message; nothing is created", async ({
  browser,
}) => {
  const api = await adminApi();
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/tasks/new");
  const form = page.getByRole("form", { name: "Create a task" });
  const title = unique("Never without its blocker");
  await form.getByLabel("Title").fill(title);
  await form.getByRole("combobox", { name: "Blocked by" }).fill("TASK-2026-999999");
  await form.getByRole("button", { name: "Create task" }).click();

  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Blocked by");
  await expect(summary).toContainText("TASK-2026-999999 does not exist");
  await expect(form.getByRole("combobox", { name: "Blocked by" })).toHaveValue("TASK-2026-999999");
  const found = await api.get(`/api/v1/tasks?q=${encodeURIComponent(title)}`);
  expect(((await found.json()) as { tasks: unknown[] }).tasks).toHaveLength(0);
  await context.close();
  await api.dispose();
});
