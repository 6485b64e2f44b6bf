import { expect, test } from "@playwright/test";
import { adminApi, apiAs, createApiKey, createTask, createUser, transition, unique } from "./api";
import { browserAs } from "./session";

// Stories of issue 11 in two browsers: escalations stay true (one whose cause a worker takes
// away leaves the inbox a manager is watching), and a bulk acknowledge shows in another browser.

test("an escalation resolved by a worker over the API disappears from a watching manager's inbox", async ({
  browser,
}) => {
  const api = await adminApi();
  const skill = unique("skill");
  const running = await createTask(api, {
    definition: { title: unique("Running dependent"), skill_target: skill },
  });
  const workerToken = await createApiKey(api, ["worker"]);
  const worker = await apiAs(workerToken);
  const workerId = unique("e2e-worker");
  await expect
    .poll(async () => {
      const res = await worker.post("/api/v1/workers/claim", {
        data: { worker_id: workerId, skills: [skill] },
      });
      return ((await res.json()) as { tasks?: { id: string }[] }).tasks?.map((t) => t.id) ?? [];
    })
    .toContain(running.id);
  // It comes to wait on a blocker that is then cancelled: a dependency conflict for a person.
  const blocker = await createTask(api, { definition: { title: unique("Dropped blocker") } });
  expect(
    (await api.post(`/api/v1/tasks/${running.id}/dependencies`, { data: { blocker_id: blocker.id } })).ok(),
  ).toBe(true);
  await transition(api, blocker.id, "CANCELLED", "The client dropped this part");

  const manager = await createUser(api, "account_manager");
  const inbox = await browserAs(browser, manager, "/escalations");
  const item = inbox.page.getByTestId("escalation-item").filter({ hasText: running.id });
  await expect(item).toContainText("Dependency conflict");
  await item.click();
  await expect(inbox.page.getByTestId("escalation-detail")).toContainText(running.id);

  // The worker finishes the task over the API: nothing is left to decide, the inbox follows.
  const done = await worker.post(`/api/v1/workers/tasks/${running.id}/complete`, {
    data: { worker_id: workerId },
  });
  expect(done.ok()).toBe(true);
  await expect(item).toHaveCount(0, { timeout: 10_000 });
  const resolved = await api.get(`/api/v1/escalations?status=RESOLVED&task_id=${running.id}`);
  const body = (await resolved.json()) as { escalations: { resolution: string; resolved_by: string }[] };
  expect(body.escalations.map((e) => [e.resolution, e.resolved_by])).toEqual([
    ["Task completed: nothing left to decide", "task-orchestrator/escalation"],
  ]);

  await inbox.context.close();
  await worker.dispose();
  await api.dispose();
});

test("a bulk acknowledge of a storm of 5 updates the other browser's badge", async ({ browser }) => {
  const api = await adminApi();
  const queue = "low_priority";
  const blocker = await createTask(api, {
    definition: { title: unique("Storm blocker") },
    queue: { name: queue },
  });
  const dependents = [];
  for (let i = 0; i < 5; i += 1)
    dependents.push(
      await createTask(api, {
        definition: { title: unique(`Storm dependent ${i}`) },
        queue: { name: queue },
        dependencies: { blocked_by: [blocker.id] },
      }),
    );
  await transition(api, blocker.id, "CANCELLED", "Out of scope");

  const manager = await createUser(api, "account_manager");
  const watcher = await browserAs(browser, manager, "/");
  const inbox = await browserAs(browser, manager, "/escalations");
  const badge = watcher.page.getByTestId("escalation-count");
  const count = async () =>
    ((await (await api.get("/api/v1/escalations/count")).json()) as { unacknowledged: number })
      .unacknowledged;
  const before = await count();
  await expect(badge).toHaveAttribute("data-unacknowledged", String(before));

  const storm = inbox.page.getByTestId("escalation-storm").filter({ hasText: dependents[0]!.id });
  await expect(storm).toContainText(`Dependency conflict in ${queue}`);
  await expect(storm.getByTestId("escalation-item")).toHaveCount(5);
  await storm.getByRole("button", { name: "Select all 5" }).click();
  const bar = inbox.page.getByTestId("bulk-bar");
  await expect(bar).toContainText("5 selected");
  await bar.getByRole("button", { name: "Acknowledge" }).click();
  await expect(bar).toHaveCount(0);

  // The other browser, without reloading.
  await expect(badge).toHaveAttribute("data-unacknowledged", String(before - 5));
  await expect(watcher.page).toHaveTitle(/^\(\d+\) /);

  await watcher.context.close();
  await inbox.context.close();
  await api.dispose();
});
