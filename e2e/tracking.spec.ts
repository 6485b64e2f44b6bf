import { readFile } from "node:fs/promises";
import { type Download, expect, type Page, test } from "@playwright/test";
import { adminApi, completeAsWorker, createApiKey, createTask, transition, unique } from "./api";
import { browserAs, E2E_ADMIN } from "./session";

// Stories: the metrics page draws its charts from real data, its report downloads hold what the
// API reports, and the audit log is searched by task and action.

async function downloaded(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download") as Promise<Download>,
    page.getByTestId(testId).click(),
  ]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), "utf8") };
}

/** RFC 4180 enough for the report: no field of it holds a comma or a quote here. */
const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean)
    .map((line) => line.split(","));

test("the metrics charts draw a completed task, and the CSV and JSON reports hold the same figures", async ({
  browser,
}) => {
  const api = await adminApi();
  const skill = unique("metrics-skill");
  const task = await createTask(api, {
    definition: { title: unique("Measured"), skill_target: skill },
    queue: { name: "low_priority" },
  });
  await completeAsWorker(api, await createApiKey(api, ["worker"]), skill, task.id);

  const { context, page } = await browserAs(browser, E2E_ADMIN, "/metrics");
  const charts = page.getByTestId("chart");
  await expect(charts).toHaveCount(4);
  // Throughput: a bar for the day of the completion (recharts draws one rectangle per non-zero day).
  const throughput = charts.filter({ hasText: "Throughput" });
  await expect(throughput.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  await expect(page.getByTestId("kpi")).toHaveCount(7);

  await page.getByLabel("Group by").selectOption("queue");
  const csv = await downloaded(page, "report-csv");
  const json = await downloaded(page, "report-json");
  expect(csv.name).toMatch(/^report-queue-.*\.csv$/);

  const [header, ...lines] = csvRows(csv.text);
  expect(header?.slice(0, 4)).toEqual(["queue", "from", "to", "tasks"]);
  const column = (name: string) => header?.indexOf(name) ?? -1;
  const byQueue = new Map(lines.map((l) => [l[0], l]));
  const ours = byQueue.get("low_priority");
  expect(ours, "a row for the task's queue").toBeDefined();
  expect(Number(ours?.[column("completed")])).toBeGreaterThanOrEqual(1);

  const parsed = JSON.parse(json.text) as { report?: unknown } & Record<string, unknown>;
  const report = (parsed.report ?? parsed) as {
    groupBy: string;
    rows: { group: string | null; tasks: number; completed: number }[];
  };
  expect(report.groupBy).toBe("queue");
  // The two files are two views of one report: same groups, same counts.
  expect(report.rows.map((r) => [r.group ?? "", String(r.tasks), String(r.completed)]).sort()).toEqual(
    lines.map((l) => [l[0], l[column("tasks")], l[column("completed")]]).sort(),
  );

  await context.close();
  await api.dispose();
});

test("the audit log is searched by task and by action, and refuses a malformed task id by field", async ({
  browser,
}) => {
  const api = await adminApi();
  // An unfinished blocker keeps it QUEUED (the dispatcher schedules a free task at once).
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  const task = await createTask(api, {
    definition: { title: unique("Audited") },
    queue: { name: "normal" },
    dependencies: { blocked_by: [blocker.id] },
  });
  const reason = unique("Client asked for a pause");
  await transition(api, task.id, "ON_HOLD", reason);

  const { context, page } = await browserAs(browser, E2E_ADMIN, "/audit");
  const search = page.getByRole("form", { name: "Search the audit log" });
  await search.getByLabel("Task id").fill(task.id);
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`task_id=${task.id}`));
  const rows = page.getByTestId("audit-table").locator("tbody tr");
  // Created, queued, then put on hold: every row is this task's, the hold with its reason.
  await expect(rows).toHaveCount(3);
  // The trail says what happened in words, not the action's code: the hold is the row with its reason.
  await expect(rows.filter({ hasText: reason })).toHaveCount(1);
  for (const row of await rows.all()) await expect(row).toContainText(task.id);

  await search.getByLabel("Action").fill("task.created");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(task.id);

  await search.getByLabel("Action").fill("");
  await search.getByLabel("Task id").fill("TASK-42");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(search.getByLabel("Task id")).toHaveAttribute("aria-invalid", "true");

  await context.close();
  await api.dispose();
});
