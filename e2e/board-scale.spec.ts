import { expect, test } from "@playwright/test";
import type { BoardCard } from "@/lib/board";
import { login } from "./session";

// The board with 10,000 tasks (the board's answer is replaced in the browser: this checks the
// UI, not the database): only the cards in view are in the page, filters and scrolling stay quick.

const STATES = ["QUEUED", "SCHEDULED", "IN_PROGRESS", "BLOCKED", "COMPLETED"] as const;
const QUEUES = ["critical", "urgent", "high_priority", "normal", "low_priority"];

function cards(n: number): BoardCard[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: `TASK-2026-${String(900_000 + i).padStart(6, "0")}`,
    title: `Scale task ${i}`,
    state: STATES[i % STATES.length]!,
    queue: QUEUES[i % QUEUES.length]!,
    position: i,
    priorityScore: i % 100,
    slaDeadline: new Date(now + ((i % 50) - 5) * 3_600_000).toISOString(),
    progressPercent: i % 100,
    assignedTo: i % 3 === 0 ? `worker-${i % 7}` : null,
    skillTarget: `skill-${i % 12}`,
    clientName: `Client ${i % 40}`,
    intakeId: null,
    projectType: null,
    blockerReason: i % STATES.length === 3 ? "Waiting for the client" : null,
    waitingOn: 0,
    escalationUrgency: i % 97 === 0 ? "high" : null,
    version: 1,
    updatedAt: new Date(now - i * 1000).toISOString(),
  }));
}

test("the board stays smooth with 10,000 tasks", async ({ page }) => {
  const board = { cards: cards(10_000), serverTime: new Date().toISOString() };
  await page.route("**/api/v1/board", (route) => route.fulfill({ json: board }));
  await login(page);
  const queued = page.getByTestId("column-QUEUED");
  await expect(queued.getByTestId("column-count")).toHaveText("2000");
  // Virtualised: a few dozen cards in the page, not 10,000.
  expect(await page.getByTestId("task-card").count()).toBeLessThan(200);

  // Scrolling a 2,000-card column to its end renders its last cards.
  const scroller = queued.getByTestId("column-scroll");
  const started = Date.now();
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(queued.getByTestId("task-card").last()).toBeVisible();
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(queued.getByText("Scale task 9995", { exact: true })).toBeVisible();
  expect(Date.now() - started).toBeLessThan(2_000);

  // Filtering 10,000 cards is immediate.
  await page.getByLabel("Search").fill("Scale task 4242");
  await expect(page.getByTestId("task-card")).toHaveCount(1);
  await expect(page).toHaveURL(/q=Scale\+task\+4242/);
});
