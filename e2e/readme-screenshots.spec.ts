import {
  type APIRequestContext,
  type Browser,
  type BrowserContextOptions,
  expect,
  type Page,
  request,
  test,
} from "@playwright/test";
import type { SeedTask } from "@/lib/seed-format";
import { DEMO_USERS } from "../server/auth/users";
import { DEMO_CONFLICT_INTAKE } from "../server/demo/demo-conflict";
import { WORKED_EXAMPLE_INTAKE } from "../server/demo/demo-tasks";
import { type Receiver, startReceiver } from "../server/engine/integrations/test-receiver";
import type { RunningServer } from "../test/server-process";
import { frenchLogin } from "./i18n-session";
import { OWN_ADMIN_TOKEN, type OwnDatabase, ownDatabase, ownServer } from "./own-server";
import { login } from "./session";

// The README's screenshots, written again to docs/screenshots/ by every run, from the demo data:
// a demo server of the spec's own (its worked example, open tasks, dependency conflict and 30
// days of history, worked by the simulator) with the stream of new requests off. Each picture is
// taken once the page shows what it must: an empty or wrong page fails the run instead.

const DIR = "docs/screenshots";
const TV_1080 = { width: 1920, height: 1080 };
const TV_4K = { width: 3840, height: 2160 };
const PHONE = { width: 390, height: 844 };

const demoUser = (email: string) => {
  const user = DEMO_USERS.find((u) => u.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
};
/** Marc looks after StartupIO (the worked example) and Boulangerie Dupont (the conflict). */
const MANAGER = demoUser("manager@demo.local");
const ADMIN = demoUser("admin@demo.local");

let database: OwnDatabase;
let server: RunningServer;
let api: APIRequestContext;
let receiver: Receiver;
let workedExample: SeedTask[];
let conflicted: SeedTask;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  database = await ownDatabase();
  server = await ownServer(database, undefined, { ORCHESTRATOR_DEMO: "1", ORCHESTRATOR_DEMO_FEED: "0" });
  api = await request.newContext({
    baseURL: server.url,
    extraHTTPHeaders: { authorization: `Bearer ${OWN_ADMIN_TOKEN}` },
  });
  const tasks = async (intake: string) => {
    const response = await api.get(`/api/v1/tasks?intake_id=${intake}&limit=10`);
    expect(response.ok()).toBe(true);
    return ((await response.json()) as { tasks: SeedTask[] }).tasks.sort((a, b) => a.id.localeCompare(b.id));
  };
  workedExample = await tasks(WORKED_EXAMPLE_INTAKE);
  expect(workedExample.map((t) => t.definition.title)).toEqual([
    "Brief analysis",
    "Tech scoping",
    "Architecture",
  ]);
  const waiting = (await tasks(DEMO_CONFLICT_INTAKE)).find((t) => t.state.current !== "CANCELLED");
  if (!waiting) throw new Error("the demo's dependency conflict is missing");
  conflicted = waiting;
  // Where the demo's events go, for the webhooks page: a receiver that takes them.
  receiver = await startReceiver(200);
  const subscribed = await api.post("/api/v1/webhooks", {
    data: { url: receiver.url, name: "Agency CRM", event_types: ["task.*"] },
  });
  expect(subscribed.ok()).toBe(true);
});

test.afterAll(async () => {
  await api?.dispose();
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

type Language = "en" | "fr";

/** A browser on the demo server, in `language`, Paris time, no motion (charts drawn at once). */
async function demoBrowser(
  browser: Browser,
  language: Language,
  options: BrowserContextOptions & { theme?: "light" | "dark" } = {},
) {
  const { theme = "light", ...rest } = options;
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: TV_1080,
    locale: language === "fr" ? "fr-FR" : "en-GB",
    timezoneId: "Europe/Paris",
    reducedMotion: "reduce",
    ...rest,
  });
  await context.addInitScript((t) => localStorage.setItem("theme", t), theme);
  return { context, page: await context.newPage() };
}

async function demoSession(
  browser: Browser,
  language: Language,
  options: BrowserContextOptions & { theme?: "light" | "dark" } = {},
  user = MANAGER,
) {
  const session = await demoBrowser(browser, language, options);
  await (language === "fr" ? frenchLogin(session.page, user) : login(session.page, user));
  return session;
}

/** The page as the picture will show it: live, checked by `ready`, then saved. */
async function shoot(page: Page, name: string, ready: () => Promise<void>) {
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await ready();
  await page.screenshot({ path: `${DIR}/${name}.png`, animations: "disabled", caret: "hide" });
}

/** The board holds the worked example's chain for StartupIO and the demo's other clients. */
async function boardHoldsTheDemo(page: Page) {
  const board = page.getByTestId("board");
  for (const task of workedExample) await expect(board.getByText(task.id, { exact: true })).toBeVisible();
  await expect(board.getByTestId("card-client").filter({ hasText: "StartupIO" }).first()).toBeVisible();
  await expect(board.getByTestId("card-client").filter({ hasText: "MediCare+" }).first()).toBeVisible();
}

test("the board, in English and in French, and dark", async ({ browser }) => {
  for (const language of ["en", "fr"] as const) {
    const { context, page } = await demoSession(browser, language);
    await shoot(page, language === "en" ? "demo-board" : "demo-board-fr", async () => {
      await expect(
        page.getByRole("heading", { name: language === "en" ? "Board" : "Tableau", level: 1 }),
      ).toBeVisible();
      await expect(page.getByText(language === "en" ? "Completed" : "Terminée").first()).toBeVisible();
      await boardHoldsTheDemo(page);
    });
    await context.close();
  }
  const { context, page } = await demoSession(browser, "en", { theme: "dark" });
  await shoot(page, "board-dark", async () => {
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await boardHoldsTheDemo(page);
  });
  await context.close();
});

test("the inbox and the metrics, in French", async ({ browser }) => {
  const { context, page } = await demoSession(browser, "fr");
  await page.goto("/escalations");
  const item = page.getByTestId("escalation-item").filter({ hasText: conflicted.id });
  await item.click();
  await shoot(page, "demo-escalations-fr", async () => {
    await expect(page.getByRole("heading", { name: "Escalades", level: 1 })).toBeVisible();
    await expect(item).toContainText("Conflit de dépendances");
    const detail = page.getByTestId("escalation-detail");
    await expect(detail).toContainText(conflicted.id);
    await expect(detail).toContainText("Boulangerie Dupont");
    await expect(detail.getByTestId("suggested-action")).toContainText("dépendance annulée");
  });

  await page.goto("/metrics?days=30");
  await shoot(page, "demo-metrics-fr", async () => {
    await expect(page.getByRole("heading", { name: "Indicateurs", level: 1 })).toBeVisible();
    await expect(page.getByTestId("kpi").first()).toBeVisible();
    await expect(page.getByText("Temps de cycle").first()).toBeVisible();
    // Every chart drawn from the 30 days of history.
    const charts = page.getByTestId("chart");
    await expect(charts.first()).toBeVisible();
    for (const chart of await charts.all())
      await expect(chart.locator(".recharts-bar-rectangle, .recharts-line-curve").first()).toBeVisible();
  });
  await context.close();
});

test("the queues, the graph, a task and the new-task form", async ({ browser }) => {
  const { context, page } = await demoSession(browser, "en");
  await page.goto("/queues");
  await shoot(page, "demo-queues", async () => {
    await expect(page.getByRole("heading", { name: "Queues", level: 1 })).toBeVisible();
    await expect(page.getByTestId("queue-gauge")).toHaveCount(7);
    await expect(page.getByTestId("waiting-task").first()).toBeVisible();
  });

  // The worked example's chain, not whichever chain moved last.
  await page.goto(`/graph?intake=${WORKED_EXAMPLE_INTAKE}`);
  await shoot(page, "demo-graph", async () => {
    await expect(page.getByTestId("recent-chains")).toBeVisible();
    const nodes = page.getByTestId("graph-node");
    await expect(nodes).toHaveCount(3);
    for (const title of ["Brief analysis", "Tech scoping", "Architecture"])
      await expect(nodes.filter({ hasText: title })).toBeInViewport();
  });

  const [brief, scoping] = workedExample;
  await page.goto(`/tasks/${scoping?.id}`);
  await shoot(page, "task", async () => {
    await expect(page.getByTestId("task-title")).toHaveText("Tech scoping");
    await expect(page.getByText(WORKED_EXAMPLE_INTAKE).first()).toBeVisible();
    await expect(page.getByText(brief?.id ?? "").first()).toBeVisible();
    await expect(page.getByTestId("state-timeline")).toBeVisible();
  });

  await page.goto("/tasks/new");
  await shoot(page, "new-task", async () => {
    await expect(page.getByRole("heading", { name: "New task", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Title")).toBeVisible();
    // The skills offered are the demo's.
    await expect(
      page.getByLabel("Skill target").locator("option", { hasText: "direction-technique" }),
    ).toHaveCount(1);
  });
  await context.close();
});

test("the board and the inbox on a 390 px phone, in French", async ({ browser }) => {
  const { context, page } = await demoSession(browser, "fr", {
    viewport: PHONE,
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
  });
  await shoot(page, "demo-phone-board", async () => {
    await expect(page.getByTestId("task-card").first()).toBeVisible();
    await expect(page.getByTestId("card-client").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeInViewport();
  });
  await page.goto("/escalations");
  await shoot(page, "demo-phone-escalations", async () => {
    await expect(page.getByTestId("escalation-item").filter({ hasText: conflicted.id })).toContainText(
      "Conflit de dépendances",
    );
    await expect(page.getByTestId("escalation-detail")).toBeVisible();
  });
  await context.close();
});

test("the wall in French on a 1080p and a 4K TV, scaled", async ({ browser }) => {
  const key = await api.post("/api/v1/api-keys", { data: { name: "Agency TV", scopes: ["wall"] } });
  expect(key.ok()).toBe(true);
  const { key: token } = (await key.json()) as { key: string };
  const labelSizes: number[] = [];
  for (const viewport of [TV_1080, TV_4K]) {
    const { context, page } = await demoBrowser(browser, "fr", { viewport });
    await page.goto(`/wall?token=${encodeURIComponent(token)}`);
    await shoot(page, `demo-wall-${viewport.width}x${viewport.height}`, async () => {
      const wall = page.getByTestId("wall");
      await expect(wall.getByRole("heading", { name: "Files", exact: true })).toBeVisible();
      await expect(wall.getByTestId("kpi")).toHaveCount(7);
      await expect(wall.getByTestId("kpi").filter({ hasText: "Temps de cycle" })).toBeVisible();
      await expect(wall.getByTestId("queue-gauge")).toHaveCount(7);
      await expect(wall.getByRole("region", { name: "Escalades ouvertes" })).toContainText(conflicted.id);
    });
    const label = page.getByTestId("kpi").first().locator("span").first();
    labelSizes.push(await label.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)));
    await context.close();
  }
  // Read from across the room: at twice the width, the labels are (about) twice as large.
  const [at1080 = 0, at4k = 0] = labelSizes;
  expect(at1080).toBeGreaterThanOrEqual(16);
  expect(at4k).toBeGreaterThan(at1080 * 1.8);
});

test("the webhooks admin, with the demo's events delivered", async ({ browser }) => {
  // Subscribed in beforeAll: the simulator's task events have been delivered since.
  await receiver.waitFor(1, 60_000);
  const { context, page } = await demoSession(browser, "en", {}, ADMIN);
  await page.goto("/admin/webhooks");
  await page.getByRole("button", { name: `Deliveries of ${receiver.url}` }).click();
  // One delivery by its id: newer ones keep arriving above it.
  const first = page.getByTestId("deliveries-table").locator('tr[data-status="succeeded"]').first();
  const id = await first.getAttribute("data-delivery-id");
  const delivered = page.locator(`tr[data-delivery-id="${id}"]`);
  await delivered.getByRole("button", { name: "Attempts" }).click();
  await shoot(page, "webhooks", async () => {
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await expect(page.getByTestId("webhooks-table")).toContainText("Agency CRM");
    await expect(delivered).toContainText(/task\.\w+/);
    await expect(delivered).toContainText("HTTP 200");
    await expect(page.getByTestId("attempts-table").locator("tr[data-attempt]").first()).toContainText(
      "HTTP 200",
    );
  });
  await context.close();
});
