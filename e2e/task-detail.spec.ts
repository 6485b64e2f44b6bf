import { expect, test } from "@playwright/test";
import { adminApi, createTask, createUser, getTask, unique } from "./api";
import { browserAs } from "./session";

// The task page: the actions the transition table gives the role, a reason for block / cancel,
// and an edit refused when someone changed the task meanwhile.

test("an operator holds and releases a task; a cancel asks for a reason", async ({ browser }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  const task = await createTask(api, {
    definition: { title: unique("Detail task") },
    queue: { name: "normal" },
    dependencies: { blocked_by: [blocker.id] },
  });
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, `/tasks/${task.id}`);
  const actions = page.getByTestId("task-actions");
  // QUEUED, for an operator: Hold and Cancel (the dispatcher's Schedule is the system's).
  await expect(actions.getByRole("button", { name: "Hold" })).toBeVisible();
  await expect(actions.getByRole("button", { name: "Cancel" })).toBeVisible();
  await expect(actions.getByRole("button", { name: "Schedule" })).toHaveCount(0);

  await actions.getByRole("button", { name: "Hold" }).click();
  await expect(page.getByTestId("state-badge").first()).toHaveAttribute("data-state", "ON_HOLD");
  await expect(page.getByTestId("state-timeline")).toContainText("On hold");
  await expect(page.getByTestId("audit-table")).toContainText("QUEUED → ON_HOLD");

  await actions.getByRole("button", { name: "Release" }).click();
  await expect(page.getByTestId("state-badge").first()).toHaveAttribute("data-state", "QUEUED");

  await actions.getByRole("button", { name: "Cancel" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Cancel the task" }).click();
  await expect(dialog.getByText("A reason is required")).toBeVisible();
  await dialog.getByLabel("Why cancel it?").fill("Duplicate of another request");
  await dialog.getByRole("button", { name: "Cancel the task" }).click();
  await expect(page.getByTestId("state-badge").first()).toHaveAttribute("data-state", "CANCELLED");
  // Cancelled: no transition is left, only the revert of a cancel made in error.
  await expect(page.getByTestId("task-actions").getByRole("button")).toHaveText(["Revert to Queued"]);
  expect((await getTask(api, task.id)).state.current).toBe("CANCELLED");
  await context.close();
  await api.dispose();
});

test("an edit based on an old version is refused with a message, then saved on the current one", async ({
  browser,
}) => {
  const api = await adminApi();
  const task = await createTask(api, {
    definition: { title: unique("Edit me"), skill_target: unique("skill") },
    queue: { name: "normal" },
  });
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, `/tasks/${task.id}`);
  await page.getByRole("button", { name: "Edit" }).click();
  const form = page.getByRole("form", { name: "Edit task" });
  await form.getByLabel("Client name").fill("Acme");

  // Meanwhile someone else edits it.
  const current = await getTask(api, task.id);
  await api.patch(`/api/v1/tasks/${task.id}`, {
    data: {
      expected_version: current.metadata.version,
      definition: { description: "Changed by someone else" },
    },
  });
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("edit-error")).toContainText(
    "Someone changed this task since you opened the form",
  );
  expect((await getTask(api, task.id)).context.client.name).toBeNull();

  await form.getByRole("button", { name: "Load the current values" }).click();
  await form.getByLabel("Client name").fill("Acme");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form).toHaveCount(0);
  await expect.poll(async () => (await getTask(api, task.id)).context.client.name).toBe("Acme");
  await expect(page.getByRole("region", { name: "Context" })).toContainText("Acme");
  await context.close();
  await api.dispose();
});
