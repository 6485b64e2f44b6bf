import { expect, type Page, test } from "@playwright/test";
import { adminApi, createTask, createUser, getTask, unique } from "./api";
import { drag } from "./pointer";
import { browserAs } from "./session";

// Story: an operator drags a task to the top of its queue, and a second browser shows the new order.

const QUEUE = "low_priority";

const order = (page: Page) =>
  page
    .getByTestId(`waiting-list-${QUEUE}`)
    .getByTestId("waiting-task")
    .evaluateAll((items) => items.map((i) => i.getAttribute("data-task-id") ?? ""));

test("an operator drags a task to the top of its queue and another browser sees the new order", async ({
  browser,
}) => {
  const api = await adminApi();
  // Waiting tasks stay in the queue while their blocker is not done (the blocker itself is
  // dispatched at once): three dependents of one blocker wait in low_priority, in that order.
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  const waiting = [];
  for (const name of ["first", "second", "third"]) {
    waiting.push(
      await createTask(api, {
        definition: { title: unique(`Reorder ${name}`) },
        queue: { name: QUEUE },
        dependencies: { blocked_by: [blocker.id] },
      }),
    );
  }
  const ids = waiting.map((t) => t.id);
  const operator = await createUser(api, "operator");

  const watcher = await browserAs(browser, operator, "/queues");
  const mover = await browserAs(browser, operator, "/queues");
  await expect.poll(() => order(mover.page)).toEqual(expect.arrayContaining(ids));
  const before = (await order(mover.page)).filter((id) => ids.includes(id));
  expect(before).toEqual(ids);

  const lane = mover.page.getByTestId(`waiting-list-${QUEUE}`);
  const handle = lane.locator(`[data-task-id="${ids[2]}"]`).getByTestId("drag-handle");
  await drag(mover.page, handle, lane.getByTestId("waiting-task").first());

  // Top of the whole queue, the other two after it (tasks of earlier runs may wait below).
  const expected = [ids[2], ids[0], ids[1]];
  const ours = async (page: Page) => {
    const list = await order(page);
    return [list[0], ...list.filter((id) => id !== list[0] && ids.includes(id))];
  };
  await expect.poll(() => ours(mover.page)).toEqual(expected);
  // The other browser, without reloading.
  await expect.poll(() => ours(watcher.page)).toEqual(expected);

  // The server agrees: position 0 in the queue's waiting list.
  const list = (await (await api.get(`/api/v1/queues/${QUEUE}/tasks`)).json()) as { tasks: { id: string }[] };
  expect(list.tasks[0]?.id).toBe(ids[2]);

  await watcher.context.close();
  await mover.context.close();
  await api.dispose();
});

test("keyboard reordering: Space, arrow up, Space moves a task up one place", async ({ browser }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  const a = await createTask(api, {
    definition: { title: unique("Key A") },
    queue: { name: "backlog" },
    dependencies: { blocked_by: [blocker.id] },
  });
  const b = await createTask(api, {
    definition: { title: unique("Key B") },
    queue: { name: "backlog" },
    dependencies: { blocked_by: [blocker.id] },
  });
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/queues");
  const lane = page.getByTestId("waiting-list-backlog");
  const backlogOrder = () =>
    lane
      .getByTestId("waiting-task")
      .evaluateAll((items) => items.map((i) => i.getAttribute("data-task-id") ?? ""))
      .then((list) => list.filter((id) => id === a.id || id === b.id));
  await expect.poll(backlogOrder).toEqual([a.id, b.id]);

  const handle = lane.locator(`[data-task-id="${b.id}"]`).getByTestId("drag-handle");
  // dnd-kit measures the drop targets in an effect after the pick-up, and only then knows what
  // the task is over: a person is never fast enough to press an arrow before that, a script is,
  // so the test waits for what a screen reader user hears at each step.
  const liveRegion = page.locator('[id^="DndLiveRegion"]');
  const positionOf = (id: string) =>
    lane
      .getByTestId("waiting-task")
      .evaluateAll(
        (items, wanted) => items.findIndex((i) => i.getAttribute("data-task-id") === wanted) + 1,
        id,
      );
  const [aPlace, bPlace] = [await positionOf(a.id), await positionOf(b.id)];
  await handle.focus();
  await page.keyboard.press("Space");
  await expect(liveRegion).toContainText(
    `${b.id} ${b.definition.title} is over backlog, position ${bPlace}.`,
  );
  await page.keyboard.press("ArrowUp");
  await expect(liveRegion).toContainText(
    `${b.id} ${b.definition.title} is over backlog, position ${aPlace}.`,
  );
  await page.keyboard.press("Space");
  await expect(liveRegion).toContainText(`dropped at backlog, position ${aPlace}.`);
  await expect.poll(backlogOrder).toEqual([b.id, a.id]);
  await context.close();
  await api.dispose();
});

test("a reorder refused for a stale version is rolled back with a message", async ({ browser }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  const make = (name: string) =>
    createTask(api, {
      definition: { title: unique(name) },
      queue: { name: "urgent" },
      dependencies: { blocked_by: [blocker.id] },
    });
  const a = await make("Conflict A");
  const b = await make("Conflict B");
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/queues");
  const lane = page.getByTestId("waiting-list-urgent");
  const urgentOrder = () =>
    lane
      .getByTestId("waiting-task")
      .evaluateAll((items) => items.map((i) => i.getAttribute("data-task-id") ?? ""))
      .then((list) => list.filter((id) => id === a.id || id === b.id));
  await expect.poll(urgentOrder).toEqual([a.id, b.id]);

  // Someone edits B while the operator drags it: the reorder carries B's old version.
  await page.route("**/api/v1/tasks/*/reorder", async (route) => {
    await api.patch(`/api/v1/tasks/${b.id}`, {
      data: { expected_version: b.metadata.version, definition: { description: "Edited meanwhile" } },
    });
    await route.continue();
  });
  const handle = lane.locator(`[data-task-id="${b.id}"]`).getByTestId("drag-handle");
  await drag(page, handle, lane.locator(`[data-task-id="${a.id}"]`));

  await expect(page.getByTestId("queue-message")).toContainText(`${b.id} changed while you moved it`);
  await expect.poll(urgentOrder).toEqual([a.id, b.id]);
  await context.close();
  await api.dispose();
});

test("an operator drags a waiting task into another queue and a second browser sees it move", async ({
  browser,
}) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  // Waiting (its blocker is not done), so it stays listed in its queue.
  const task = await createTask(api, {
    definition: { title: unique("Moved across") },
    queue: { name: QUEUE },
    dependencies: { blocked_by: [blocker.id] },
  });
  const operator = await createUser(api, "operator");
  const watcher = await browserAs(browser, operator, "/queues");
  const mover = await browserAs(browser, operator, "/queues");

  const item = (page: Page, queue: string) =>
    page.getByTestId(`waiting-list-${queue}`).locator(`[data-task-id="${task.id}"]`);
  await expect(item(mover.page, QUEUE)).toBeVisible();
  await expect(item(watcher.page, QUEUE)).toBeVisible();

  const target = mover.page.getByTestId("waiting-list-backlog");
  await drag(mover.page, item(mover.page, QUEUE).getByTestId("drag-handle"), target);

  await expect(item(mover.page, "backlog")).toBeVisible();
  await expect(item(mover.page, QUEUE)).toHaveCount(0);
  // The other browser, without reloading.
  await expect(item(watcher.page, "backlog")).toBeVisible();
  await expect(item(watcher.page, QUEUE)).toHaveCount(0);
  // The server agrees.
  await expect.poll(async () => (await getTask(api, task.id)).queue.name).toBe("backlog");

  await watcher.context.close();
  await mover.context.close();
  await api.dispose();
});
