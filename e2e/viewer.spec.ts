import { expect, test } from "@playwright/test";
import { adminApi, createTask, createUser, transition, unique } from "./api";
import { browserAs } from "./session";

// Story: a viewer sees no action buttons, and the server refuses the action if forced.

test("a viewer sees no action and the server refuses one forced", async ({ browser, baseURL }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Viewer blocker"), skill_target: unique("skill") },
  });
  const task = await createTask(api, {
    definition: { title: unique("Viewer task") },
    queue: { name: "high_priority" },
    dependencies: { blocked_by: [blocker.id] },
  });
  const other = await createTask(api, {
    definition: { title: unique("Other") },
    dependencies: { blocked_by: [task.id] },
  });
  await transition(api, blocker.id, "CANCELLED", "To raise an escalation the viewer may see");
  const viewer = await createUser(api, "viewer");
  const { context, page } = await browserAs(browser, viewer, "/");

  // Navigation: only what a viewer may use.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Board" })).toBeVisible();
  for (const hidden of ["New task", "Users", "API keys", "Audit"]) {
    await expect(nav.getByRole("link", { name: hidden })).toHaveCount(0);
  }
  // Board: no quick add.
  await expect(page.getByRole("form", { name: "New task" })).toHaveCount(0);

  // Task page: no action, no edit, no dependency editing.
  await page.goto(`/tasks/${task.id}`);
  await expect(page.getByTestId("task-title")).toHaveText(task.definition.title);
  await expect(page.getByTestId("task-actions")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: "Add a blocker" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove/ })).toHaveCount(0);

  // Queues: no drag handles.
  await page.goto("/queues");
  await expect(
    page.getByTestId("waiting-list-high_priority").locator(`[data-task-id="${task.id}"]`),
  ).toBeVisible();
  await expect(page.getByTestId("drag-handle")).toHaveCount(0);

  // Escalations: readable, no action.
  await page.goto("/escalations");
  await page.getByTestId("escalation-item").filter({ hasText: task.id }).click();
  await expect(page.getByTestId("escalation-detail")).toContainText(task.id);
  await expect(page.getByTestId("escalation-actions")).toHaveCount(0);

  // Graph: nothing to connect or delete.
  await page.goto(`/graph?task=${other.id}`);
  await expect(page.getByTestId("graph-node").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^Remove/ })).toHaveCount(0);

  // Forced: the same requests the buttons would send, with the viewer's session.
  const headers = { origin: baseURL! };
  const forced = [
    page.request.post(`/api/v1/tasks/${task.id}/transition`, { headers, data: { to: "ON_HOLD" } }),
    page.request.post(`/api/v1/tasks/${task.id}/bump`, { headers, data: {} }),
    page.request.patch(`/api/v1/tasks/${task.id}`, {
      headers,
      data: { expected_version: task.metadata.version, definition: { title: "Hacked" } },
    }),
    page.request.post("/api/v1/tasks", { headers, data: { definition: { title: "Not allowed" } } }),
  ];
  for (const response of await Promise.all(forced)) {
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  }
  const after = (await (await api.get(`/api/v1/tasks/${task.id}`)).json()) as {
    task: { state: { current: string } };
  };
  expect(after.task.state.current).toBe("QUEUED");

  await context.close();
  await api.dispose();
});
