import { expect, test } from "@playwright/test";
import {
  adminApi,
  createApiKey,
  createTask,
  createUser,
  escalationCount,
  getTask,
  transition,
  unique,
} from "./api";
import { frenchBrowserAs } from "./i18n-session";
import { drag } from "./pointer";

// The main stories in French: the inbox, the queue reorder, the form with a dependency and the
// wall, checking the translated text and French formats (decimal comma, 24-hour times).

const TIME_24H = /([01]\d|2[0-3]):[0-5]\d/;

test("un chargé de compte résout une escalade depuis la boîte, en français", async ({ browser }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Bloqueur"), skill_target: unique("skill") },
  });
  const dependent = await createTask(api, {
    definition: { title: unique("Dépendante") },
    queue: { name: "normal" },
    dependencies: { blocked_by: [blocker.id] },
  });
  await transition(api, blocker.id, "CANCELLED", "Le client a renoncé");
  await expect.poll(() => escalationCount(api)).toBeGreaterThan(0);
  const manager = await createUser(api, "account_manager");
  const { context, page } = await frenchBrowserAs(browser, manager, "/escalations");

  await expect(page.getByRole("heading", { name: "Escalades", level: 1 })).toBeVisible();
  const item = page.getByTestId("escalation-item").filter({ hasText: dependent.id });
  await expect(item).toContainText("Conflit de dépendances");
  await item.click();
  const detail = page.getByTestId("escalation-detail");
  await expect(detail).toContainText("Action suggérée");
  await expect(detail.getByTestId("suggested-action")).toContainText(
    "Retirer ou remplacer la dépendance annulée",
  );
  await expect(detail).toContainText(TIME_24H);
  await expect(detail).not.toContainText(/\b(AM|PM)\b/);
  // What the manager acts on, in French too: level, SLA clock, forecast, history, selection.
  const facts = detail.getByTestId("escalation-facts");
  await expect(facts).toContainText(/Niveau\s*1 sur \d/);
  await expect(facts).toContainText("Prévision");
  await expect(facts.getByTestId("escalation-forecast")).toContainText(/aucune prévision|fin le/);
  await expect(detail.getByRole("heading", { name: "Historique récent" })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: `Sélectionner ${dependent.id}` })).toBeVisible();
  await expect(detail).not.toContainText(/no forecast|Recent history|min left|Forecast/);

  await detail.getByRole("button", { name: "Résoudre avec une note" }).click();
  const dialog = page.getByRole("dialog", { name: "Résoudre l’escalade" });
  await dialog.getByLabel("Qu’est-ce qui a été fait ?").fill("Client appelé : on continue sans");
  await dialog.getByRole("button", { name: "Résoudre" }).click();
  await expect(detail.getByTestId("escalation-status")).toHaveText("RÉSOLUE");
  await context.close();
  await api.dispose();
});

test("un opérateur crée une tâche avec une dépendance et « 3,5 » heures, lues 3,5 h", async ({ browser }) => {
  const api = await adminApi();
  const blocker = await createTask(api, {
    definition: { title: unique("Analyse du brief"), skill_target: unique("skill") },
    queue: { name: "high_priority" },
  });
  const operator = await createUser(api, "operator");
  const { context, page } = await frenchBrowserAs(browser, operator, "/tasks/new");

  const form = page.getByRole("form", { name: "Créer une tâche" });
  const title = unique("Cadrage technique");
  await form.getByLabel("Titre").fill(title);
  await form.getByLabel("Heures estimées").fill("3,5");
  const picker = form.getByRole("combobox", { name: "Bloquée par" });
  await picker.fill(blocker.id);
  await expect(form.getByRole("option", { name: new RegExp(blocker.id) })).toBeVisible();
  await picker.press("ArrowDown");
  await picker.press("Enter");
  await expect(form.getByRole("list", { name: "Bloqueurs choisis" })).toContainText(blocker.id);
  await form.getByRole("button", { name: "Créer la tâche" }).click();

  const notice = page.getByRole("status").filter({ hasText: "créée" });
  await expect(notice).toContainText(title);
  const id = (await notice.getByRole("link").first().textContent())!.trim();
  const saved = await getTask(api, id);
  expect(saved.execution.estimated_duration_hours).toBe(3.5);
  expect(saved.dependencies.blocked_by).toEqual([blocker.id]);

  await page.goto(`/tasks/${id}`);
  await expect(page.getByText("3,5 h")).toBeVisible();
  await expect(page.getByTestId("state-timeline")).toContainText(TIME_24H);
  await expect(page.getByRole("heading", { name: "Historique des états" })).toBeVisible();
  await context.close();
  await api.dispose();
});

test("un opérateur réordonne une file par glisser-déposer, en français", async ({ browser }) => {
  const api = await adminApi();
  const queue = "low_priority";
  const blocker = await createTask(api, {
    definition: { title: unique("Bloqueur"), skill_target: unique("skill") },
  });
  const ids: string[] = [];
  for (const name of ["un", "deux"]) {
    ids.push(
      (
        await createTask(api, {
          definition: { title: unique(`Réordonner ${name}`) },
          queue: { name: queue },
          dependencies: { blocked_by: [blocker.id] },
        })
      ).id,
    );
  }
  const operator = await createUser(api, "operator");
  const { context, page } = await frenchBrowserAs(browser, operator, "/queues");
  const lane = page.getByTestId(`waiting-list-${queue}`);
  await expect(page.getByTestId(`queue-lane-${queue}`)).toContainText("Liste d’attente");
  await expect(page.getByTestId(`queue-lane-${queue}`)).toContainText("basse priorité");
  const handle = lane.locator(`[data-task-id="${ids[1]}"]`).getByRole("button", { name: /^Déplacer/ });
  await drag(page, handle, lane.getByTestId("waiting-task").first());
  await expect.poll(() => lane.getByTestId("waiting-task").first().getAttribute("data-task-id")).toBe(ids[1]);
  await expect.poll(async () => (await getTask(api, ids[1]!)).queue.position).toBe(0);
  await context.close();
  await api.dispose();
});

test("le mur affiche ses libellés en français et l’heure sur 24 h", async ({ browser }) => {
  const api = await adminApi();
  const wallToken = await createApiKey(api, ["wall"]);
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  await page.goto(`/wall?token=${wallToken}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await expect(page.getByTestId("live-status")).toContainText("En direct");
  await expect(page.getByRole("region", { name: "Risque de dépassement SLA" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Escalades ouvertes" })).toBeVisible();
  await expect(page.locator('[data-testid="kpi"][data-kpi="throughput"]')).toContainText("terminées en 24 h");
  await expect(page.locator('[data-testid="kpi"][data-kpi="errorRate"]')).toContainText("n = ");
  await expect(page.locator("header time")).toHaveText(/^([01]\d|2[0-3]):[0-5]\d$/);
  await context.close();
  await api.dispose();
});
