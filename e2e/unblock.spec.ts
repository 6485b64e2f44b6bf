import { expect, test } from "@playwright/test";
import { adminApi, completeAsWorker, createApiKey, createTask, unique } from "./api";
import { browserAs, E2E_ADMIN } from "./session";

// Story: a worker completes a blocker over the API, and its dependent is unblocked on the board.

test("completing a blocker over the worker API unblocks its dependent on the board", async ({ browser }) => {
  const api = await adminApi();
  const workerToken = await createApiKey(api, ["worker"]);
  const skill = unique("e2e-skill");
  const blocker = await createTask(api, { definition: { title: unique("Blocker"), skill_target: skill } });
  const dependent = await createTask(api, {
    definition: { title: unique("Dependent"), skill_target: unique("other-skill") },
    queue: { name: "normal" },
    dependencies: { blocked_by: [blocker.id] },
  });

  // The board filtered to the two tasks (its search box, kept in the URL).
  const { context, page } = await browserAs(
    browser,
    E2E_ADMIN,
    `/?q=${encodeURIComponent(dependent.definition.title)}`,
  );
  await expect(page.getByLabel("Search")).toHaveValue(dependent.definition.title);
  const card = page.getByTestId("board").locator(`[data-task-id="${dependent.id}"]`);
  await expect(card).toHaveAttribute("data-state", "QUEUED");
  await expect(card.getByTestId("waiting-on")).toHaveText("waits on 1");

  await completeAsWorker(api, workerToken, skill, blocker.id);

  // Live, without reloading: the blocker is done, the dependent no longer waits and is dispatched.
  await expect(card.getByTestId("waiting-on")).toHaveCount(0);
  await expect(card).toHaveAttribute("data-state", "SCHEDULED");

  await context.close();
  await api.dispose();
});
