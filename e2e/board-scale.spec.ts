import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, request, test } from "@playwright/test";
import pg from "pg";
import { loadActiveWork } from "../scripts/bench-scale-data";
import type { RunningServer } from "../test/server-process";
import { transition } from "./api";
import { OWN_ADMIN, OWN_ADMIN_TOKEN, type OwnDatabase, ownDatabase, ownServer } from "./own-server";
import { login } from "./session";

// The board and the queues at scale, for real: 10,000 live tasks loaded by SQL (the scale
// bench's loader) into the PostgreSQL of a server of this spec's own, read through the server's
// paged read model, rendered by the real board in Chromium, and a change pushed live over the
// socket into the 10,000-card board. The times are recorded (test-results/board-at-scale.json
// and the log), never asserted: speed is the bench's business.
//
// Its own server and database, not the shared e2e server: 10,000 live tasks fill every queue's
// slots and the inbox, so a failure here that left them behind failed every spec after it.

const ACTIVE = 10_000;
const loadedAt = new Date();
const figures: Record<string, number> = {};
let database: OwnDatabase;
let server: RunningServer;
let db: pg.Client;
const contexts: BrowserContext[] = [];
/** Cards the pointer was moved onto: the only ones allowed to prefetch their task page. */
const pointedAt = new Set<string>();

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  database = await ownDatabase();
  server = await ownServer(database);
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await loadActiveWork(db, loadedAt, ACTIVE);
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
  await db?.end();
  await server?.stop();
  await database?.drop();
  // npm run bench:board runs this spec in rounds and gathers each round's file.
  const out = process.env.BOARD_SCALE_OUT ?? path.join("test-results", "board-at-scale.json");
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ activeTasks: ACTIVE, ...figures }, null, 2)}\n`);
  console.log(`board at scale (ms, not asserted): ${JSON.stringify(figures)}`);
});

/** A page of a browser logged in to this spec's server as its admin. */
async function loggedInPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  contexts.push(context);
  const page = await context.newPage();
  await login(page, OWN_ADMIN);
  return page;
}

async function count(sql: string): Promise<number> {
  return Number((await db.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
}

const columnCount = (page: Page, state: string) =>
  page.getByTestId(`column-${state}`).getByTestId("column-count");

/** Cards of a column loaded in the board's cache (the virtualised list renders only some). */
function loadedCards(page: Page, state: string): Promise<number> {
  return page
    .getByTestId(`column-${state}`)
    .getByTestId("column-scroll")
    .evaluate((el) => Number(el.getAttribute("data-loaded")));
}

/**
 * Scrolls a column down until it has loaded every card, or `cap` of them: each scroll to the
 * bottom of what is loaded makes the board fetch the column's next page.
 */
async function scrollToEnd(page: Page, state: string, cap: number): Promise<number> {
  const column = page.getByTestId(`column-${state}`);
  const scroller = column.getByTestId("column-scroll");
  // The pointer rests over the column, as a person's does while the wheel scrolls it: cards
  // sliding under it are not pointed at, and must not prefetch their task page.
  // The one card it lands on is pointed at (a move over it): that one may prefetch.
  const box = await scroller.boundingBox();
  if (box) {
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(at.x, at.y);
    const under = await page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest("[data-task-id]")?.getAttribute("data-task-id"),
      at,
    );
    if (under) pointedAt.add(under);
  }
  const started = performance.now();
  const toBottom = () => scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  for (;;) {
    await toBottom();
    await expect(column.getByTestId("task-card").last()).toBeVisible();
    const loaded = await loadedCards(page, state);
    if (loaded >= cap || (await column.getByTestId("column-more").count()) === 0) break;
    // Keep at the bottom while waiting: a page that arrived meanwhile made the column longer.
    await expect
      .poll(
        async () => {
          await toBottom();
          return loadedCards(page, state);
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(loaded);
  }
  figures[`scroll ${state} to ${cap} cards (ms)`] = Math.round(performance.now() - started);
  return loadedCards(page, state);
}

test("the board with 10,000 live tasks: pages, every column scrolled, a live change arrives", async ({
  browser,
}) => {
  const queued = await count("SELECT count(*) AS n FROM tasks WHERE state = 'QUEUED'");
  expect(queued).toBeGreaterThan(5_000);
  const page = await loggedInPage(browser);
  // Cards prefetch their task page on intent only (IntentLink): on sight, hundreds of cards
  // were server renders competing with the board's own data.
  const taskPrefetches: string[] = [];
  page.on("request", (request) => {
    if (/\/tasks\/TASK-[^/?]+\?_rsc=/.test(request.url())) taskPrefetches.push(request.url());
  });
  const started = performance.now();
  await page.goto("/");
  await expect(page.getByTestId("task-card").first()).toBeVisible();
  figures["board first card (ms)"] = Math.round(performance.now() - started);
  await expect(columnCount(page, "QUEUED")).toHaveText(String(queued));
  // Virtualised and paged: a few dozen cards in the page, not 10,000.
  expect(await page.getByTestId("task-card").count()).toBeLessThan(400);

  for (const state of ["QUEUED", "ON_HOLD", "SCHEDULED", "IN_PROGRESS", "BLOCKED"]) {
    const total = Number(await columnCount(page, state).textContent());
    // QUEUED is scrolled through its first 1,000 cards (20 pages); the others to their end.
    const cap = state === "QUEUED" ? 1_000 : total;
    const loaded = await scrollToEnd(page, state, cap);
    expect(loaded).toBeGreaterThanOrEqual(Math.min(cap, total));
  }
  const prefetchedIds = taskPrefetches.map((url) => /\/tasks\/(TASK-[^/?]+)/.exec(url)?.[1]);
  expect(prefetchedIds.filter((id) => !id || !pointedAt.has(id))).toEqual([]);

  // A live change in a 10,000-card board: the first waiting card is cancelled over the API.
  const column = page.getByTestId("column-QUEUED");
  await column.getByTestId("column-scroll").evaluate((el) => el.scrollTo(0, 0));
  const first = column.getByTestId("task-card").first();
  const id = await first.getAttribute("data-task-id");
  expect(id).toMatch(/^TASK-/);
  await first.getByRole("link").hover();
  await expect.poll(() => taskPrefetches.some((url) => url.includes(`/tasks/${id}?`))).toBe(true);
  const api = await request.newContext({
    baseURL: server.url,
    extraHTTPHeaders: { authorization: `Bearer ${OWN_ADMIN_TOKEN}` },
  });
  const changedAt = performance.now();
  await transition(api, id as string, "CANCELLED", "Dropped by the client");
  await expect(page.getByTestId("column-CANCELLED").locator(`[data-task-id="${id}"]`)).toBeVisible();
  figures["live change seen (ms)"] = Math.round(performance.now() - changedAt);
  await expect(column.locator(`[data-task-id="${id}"]`)).toHaveCount(0);
  await expect(columnCount(page, "QUEUED")).toHaveText(String(queued - 1));
  await api.dispose();
});

test("a queue with 5,000 waiting tasks on /queues", async ({ browser }) => {
  const waiting = await count(
    "SELECT count(*) AS n FROM tasks WHERE state = 'QUEUED' AND queue_name = 'normal'",
  );
  expect(waiting).toBeGreaterThanOrEqual(5_000);
  const page = await loggedInPage(browser);
  const started = performance.now();
  await page.goto("/queues");
  const lane = page.getByTestId("queue-lane-normal");
  await expect(lane.getByTestId("waiting-task").first()).toBeVisible();
  figures["queues first waiting task (ms)"] = Math.round(performance.now() - started);
  await expect(lane.getByTestId("gauge-waiting")).toHaveText(String(waiting));
  const more = lane.getByRole("button", { name: /more of/ });
  const scrollStarted = performance.now();
  for (let i = 0; i < 5; i++) {
    const before = await lane.getByTestId("waiting-task").count();
    await more.click();
    await expect.poll(() => lane.getByTestId("waiting-task").count()).toBeGreaterThan(before);
  }
  await lane.getByTestId("waiting-task").last().scrollIntoViewIfNeeded();
  await expect(lane.getByTestId("waiting-task").last()).toBeVisible();
  figures["queues 5 more pages (ms)"] = Math.round(performance.now() - scrollStarted);
});
