import { expect, test } from "@playwright/test";
import { adminApi, createTask, createUser, unique } from "./api";
import { browserAs } from "./session";

// Story: a task created by the form with a dependency appears on the board and in the graph.

test("a task created with the form and a dependency shows on the board and in the graph", async ({
  browser,
}) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Brief analysis"), skill_target: unique("skill") },
    queue: { name: "high_priority" },
  });
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/tasks/new");

  const form = page.getByRole("form", { name: "Create a task" });
  const title = unique("Tech scoping");
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Skill target").selectOption("direction-technique");
  await form.getByLabel("Queue", { exact: true }).selectOption("high_priority");
  await form.getByLabel("Client name").fill("Boutique Martin");
  // The dependencies picker, by keyboard: type, arrow down, Enter.
  const picker = form.getByRole("combobox", { name: "Blocked by" });
  await picker.fill(blocker.id);
  await expect(form.getByRole("option", { name: new RegExp(blocker.id) })).toBeVisible();
  await picker.press("ArrowDown");
  await picker.press("Enter");
  await expect(form.getByRole("list", { name: "Chosen blockers" })).toContainText(blocker.id);
  await form.getByRole("button", { name: "Create task" }).click();

  const notice = page.getByRole("status").filter({ hasText: "Created" });
  await expect(notice).toContainText(title);
  const id = (await notice.getByRole("link").first().textContent())!.trim();
  expect(id).toMatch(/^TASK-\d{4}-\d{6}$/);

  await page.getByRole("link", { name: "Board" }).click();
  await page.getByLabel("Search").fill(title);
  await expect(page).toHaveURL(/[?&]q=/);
  const card = page.getByTestId("board").locator(`[data-task-id="${id}"]`);
  await expect(card).toContainText(title);
  await expect(card.getByTestId("waiting-on")).toHaveText("waits on 1");

  await page.goto(`/graph?task=${id}`);
  const graph = page.getByTestId("graph");
  await expect(graph.locator(`[data-testid="graph-node"][data-task-id="${id}"]`)).toBeVisible();
  await expect(graph.locator(`[data-testid="graph-node"][data-task-id="${blocker.id}"]`)).toBeVisible();
  await expect(page.getByTestId("edge-list")).toContainText(`${id} waits on ${blocker.id}`);
  await expect(graph.locator(".react-flow__edge")).toHaveCount(1);

  await context.close();
  await api.dispose();
});

test("the form shows the server's field errors inline and creates nothing", async ({ browser }) => {
  const api = await adminApi();
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/tasks/new");
  const newest = async () =>
    (
      (await (await api.get("/api/v1/tasks?limit=1&include_archived=true")).json()) as {
        tasks: { id: string }[];
      }
    ).tasks[0]?.id ?? null;
  const before = await newest();
  const form = page.getByRole("form", { name: "Create a task" });
  await form.getByLabel("Title").fill("   ");
  await form.getByLabel("Priority score").fill("150");
  const refused = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/tasks") && r.request().method() === "POST",
  );
  await form.getByRole("button", { name: "Create task" }).click();
  // The server saw the form and refused it: nothing was created.
  expect((await refused).status()).toBe(400);
  expect(await newest()).toBe(before);
  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Title");
  await expect(form.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Priority score")).toHaveAttribute("aria-invalid", "true");
  await context.close();
  await api.dispose();
});

test("a template's chain is created from the form, dependent task after task, and shown in the graph", async ({
  browser,
}) => {
  const api = await adminApi();
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/tasks/new");
  const form = page.getByRole("form", { name: "Create from a template" });
  const intake = `INK-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const client = unique("StartupIO");

  await form.getByLabel("Template").selectOption("ecommerce-redesign");
  await expect(form.getByText("Chain", { exact: true })).toBeVisible();
  await expect(form.getByRole("listitem").filter({ hasText: "Tech scoping" })).toContainText("after brief");
  await form.getByLabel("Intake id").fill(intake);
  await form.getByLabel("Client name").fill(client);
  await form.getByRole("button", { name: "Create the chain" }).click();
  await expect(form.getByText("Created 3 tasks")).toBeVisible();

  // On the server: the seed's worked example, each task after the previous one, for this client.
  const listed = (await (await api.get(`/api/v1/tasks?intake_id=${intake}`)).json()) as {
    tasks: {
      id: string;
      definition: { title: string };
      context: { client: { name?: string } };
      dependencies: { blocked_by: string[] };
    }[];
  };
  const byTitle = new Map(listed.tasks.map((t) => [t.definition.title, t]));
  expect([...byTitle.keys()].sort()).toEqual(["Architecture", "Brief analysis", "Tech scoping"]);
  expect(listed.tasks.every((t) => t.context.client.name === client)).toBe(true);
  expect(byTitle.get("Brief analysis")?.dependencies.blocked_by).toEqual([]);
  expect(byTitle.get("Tech scoping")?.dependencies.blocked_by).toEqual([byTitle.get("Brief analysis")?.id]);
  expect(byTitle.get("Architecture")?.dependencies.blocked_by).toEqual([byTitle.get("Tech scoping")?.id]);

  await form.getByRole("link", { name: "See the chain in the graph" }).click();
  await expect(page).toHaveURL(new RegExp(`/graph\\?intake=${intake}`));
  const graph = page.getByTestId("graph");
  await expect(graph.getByTestId("graph-node")).toHaveCount(3);
  await expect(graph.locator(".react-flow__edge")).toHaveCount(2);

  await context.close();
  await api.dispose();
});
