import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { adminApi, createApiKey, createTask, transition, unique } from "./api";
import { E2E_ADMIN, login } from "./session";

// Every page, in both themes, through axe: no serious or critical violation.

interface Fixture {
  taskId: string;
  intakeId: string;
  wallToken: string;
}

let fixture: Fixture;

test.beforeAll(async () => {
  const api = await adminApi();
  const intakeId = unique("INK-a11y");
  const { tasks } = (await (
    await api.post("/api/v1/templates/ecommerce-redesign/instantiate", {
      data: {
        intake_id: intakeId,
        context: {
          client: { name: "Boutique Martin", contact: "Marie Martin" },
          project: { type: "ecommerce" },
        },
      },
    })
  ).json()) as { tasks: { id: string }[] };
  const blocker = await createTask(api, {
    definition: { title: "Client validation", skill_target: unique("skill") },
  });
  const waiting = await createTask(api, {
    definition: { title: "Landing page copy", skill_target: "frontend" },
    queue: { name: "urgent" },
    dependencies: { blocked_by: [blocker.id] },
    context: { client: { name: "Acme" } },
  });
  await createTask(api, {
    definition: { title: "Checkout bug", skill_target: "backend" },
    queue: { name: "urgent" },
    dependencies: { blocked_by: [blocker.id] },
  });
  const doomed = await createTask(api, {
    definition: { title: "Old dependency", skill_target: unique("skill") },
  });
  await createTask(api, {
    definition: { title: "Waits on a cancelled task" },
    queue: { name: "high_priority" },
    dependencies: { blocked_by: [doomed.id] },
  });
  await transition(api, doomed.id, "CANCELLED", "Superseded");
  // A subscription with a failed test delivery (nothing listens on port 9), for the webhooks page.
  const { webhook } = (await (
    await api.post("/api/v1/webhooks", { data: { url: "http://127.0.0.1:9/hook", name: "a11y receiver" } })
  ).json()) as { webhook: { id: string } };
  await api.post(`/api/v1/webhooks/${webhook.id}/test`);
  fixture = { taskId: tasks[1]?.id ?? waiting.id, intakeId, wallToken: await createApiKey(api, ["wall"]) };
  await api.dispose();
});

interface View {
  name: string;
  path: () => string;
  ready: (page: Page) => Promise<void>;
  login?: false;
}

const visible = (testId: string) => async (page: Page) => {
  await expect(page.getByTestId(testId).first()).toBeVisible();
};

const VIEWS: View[] = [
  {
    name: "login",
    path: () => "/login",
    ready: async (p) => expect(p.getByLabel("Email")).toBeVisible(),
    login: false,
  },
  { name: "board", path: () => "/", ready: visible("task-card") },
  { name: "queues", path: () => "/queues", ready: visible("waiting-task") },
  { name: "escalations", path: () => "/escalations", ready: visible("escalation-detail") },
  { name: "task", path: () => `/tasks/${fixture.taskId}`, ready: visible("state-timeline") },
  {
    name: "new-task",
    path: () => "/tasks/new",
    ready: async (p) => expect(p.getByLabel("Title")).toBeVisible(),
  },
  { name: "graph", path: () => `/graph?intake=${fixture.intakeId}`, ready: visible("graph-node") },
  { name: "metrics", path: () => "/metrics", ready: visible("chart") },
  { name: "audit", path: () => "/audit", ready: visible("audit-table") },
  { name: "users", path: () => "/admin/users", ready: visible("users-table") },
  { name: "api-keys", path: () => "/admin/api-keys", ready: visible("api-keys-table") },
  {
    name: "webhooks",
    path: () => "/admin/webhooks",
    ready: async (p) => {
      await expect(p.getByTestId("webhooks-table")).toBeVisible();
      // One subscription's deliveries, one expanded to its attempts.
      await p.getByRole("button", { name: "Deliveries of http://127.0.0.1:9/hook" }).first().click();
      await p.getByTestId("deliveries-table").getByRole("button", { name: "Attempts" }).first().click();
      await expect(p.getByTestId("attempts-table")).toBeVisible();
    },
  },
  {
    name: "wall",
    path: () => `/wall?token=${fixture.wallToken}`,
    ready: async (p) => {
      await expect(p.getByTestId("kpi")).toHaveCount(7);
      await expect(p.getByTestId("queue-gauge")).toHaveCount(7);
    },
    login: false,
  },
];

async function session(browser: Browser, theme: "light" | "dark", loggedIn: boolean) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript((t) => localStorage.setItem("theme", t), theme);
  const page = await context.newPage();
  if (loggedIn) await login(page, E2E_ADMIN);
  return { context, page };
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const theme of ["light", "dark"] as const) {
  test(`every page has no serious or critical accessibility violation (${theme} theme)`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const withLogin = await session(browser, theme, true);
    const without = await session(browser, theme, false);
    const problems: string[] = [];
    // A page that throws while loading is a problem too, a hydration mismatch (React #418) among
    // them: it makes React throw away the server's HTML and render again.
    let current = "login";
    for (const { page } of [withLogin, without])
      page.on("pageerror", (error) => problems.push(`${current}: page error: ${error.message}`));
    for (const view of VIEWS) {
      const page = view.login === false ? without.page : withLogin.page;
      current = view.name;
      await page.goto(view.path());
      await view.ready(page);
      const dark = ((await page.locator("html").getAttribute("class")) ?? "").split(" ").includes("dark");
      if (dark !== (theme === "dark")) problems.push(`${view.name}: <html> is not in the ${theme} theme`);
      for (const v of await seriousViolations(page)) problems.push(`${view.name}: ${v}`);
    }
    expect(problems).toEqual([]);
    await withLogin.context.close();
    await without.context.close();
  });
}

test("the board stays usable on a tablet", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
  const page = await context.newPage();
  await login(page, E2E_ADMIN);
  await expect(page.getByTestId("task-card").first()).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  // Nothing but the board's own columns scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});

test("the theme toggle switches to dark and the choice survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await login(page, E2E_ADMIN);
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/dark/);
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveClass(/dark/);
  await page.reload();
  await expect(html).toHaveClass(/dark/);
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(html).not.toHaveClass(/dark/);
});
