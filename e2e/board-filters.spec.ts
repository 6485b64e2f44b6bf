import { expect, type Page, test } from "@playwright/test";
import { adminApi, createTask, unique } from "./api";
import { browserAs, E2E_ADMIN } from "./session";

// Story: an operator narrows the board by text, queue, skill and client; the filters live in the
// URL (a reload or a shared link keeps them), tasks arriving live obey them, and Clear undoes them.

const shown = async (page: Page) =>
  (
    await page
      .getByTestId("board")
      .getByTestId("task-card")
      .evaluateAll((cards) => cards.map((c) => c.getAttribute("data-task-id") ?? ""))
  ).sort();

test("the board's filters narrow the cards, stay in the URL and apply to live arrivals", async ({
  browser,
}) => {
  const api = await adminApi();
  const prefix = unique("Filtered");
  const [clientX, clientY] = [unique("Client X"), unique("Client Y")];
  const [skillOne, skillTwo] = [unique("skill-one"), unique("skill-two")];
  const make = (name: string, client: string, skill: string, queue: string) =>
    createTask(api, {
      definition: { title: `${prefix} ${name}`, skill_target: skill },
      queue: { name: queue },
      context: { client: { name: client } },
    });
  const a = await make("a", clientX, skillOne, "low_priority");
  const b = await make("b", clientX, skillTwo, "backlog");
  const c = await make("c", clientY, skillOne, "backlog");

  const { context, page } = await browserAs(browser, E2E_ADMIN, "/");
  const filters = page.getByRole("search", { name: "Board filters" });
  await filters.getByLabel("Search").fill(prefix);
  await expect.poll(() => shown(page)).toEqual([a.id, b.id, c.id].sort());

  await filters.getByLabel("Client").selectOption(clientX);
  await expect.poll(() => shown(page)).toEqual([a.id, b.id].sort());
  await filters.getByLabel("Skill").selectOption(skillOne);
  await expect.poll(() => shown(page)).toEqual([a.id]);

  // In the URL: a reload (or the link sent to a colleague) shows the same narrowed board.
  await expect(page).toHaveURL(/client=/);
  await expect(page).toHaveURL(/skill=/);
  await page.reload();
  await expect(filters.getByLabel("Client")).toHaveValue(clientX);
  await expect.poll(() => shown(page)).toEqual([a.id]);

  // One change at a time, each seen on the board before the next, as a person works.
  await filters.getByLabel("Skill").selectOption("");
  await expect.poll(() => shown(page)).toEqual([a.id, b.id].sort());
  await filters.getByLabel("Client").selectOption("");
  await expect.poll(() => shown(page)).toEqual([a.id, b.id, c.id].sort());
  await filters.getByLabel("Queue").selectOption("backlog");
  await expect.poll(() => shown(page)).toEqual([b.id, c.id].sort());

  // Live arrivals obey the filters: one in the backlog shows, one in another queue does not.
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  const fits = await make("d", clientY, skillTwo, "backlog");
  const elsewhere = await make("e", clientY, skillTwo, "normal");
  await expect.poll(() => shown(page)).toEqual([b.id, c.id, fits.id].sort());
  expect(await shown(page)).not.toContain(elsewhere.id);

  await filters.getByRole("button", { name: "Clear filters" }).click();
  await expect(filters.getByLabel("Search")).toHaveValue("");
  await expect(filters.getByLabel("Queue")).toHaveValue("");
  await expect(page).not.toHaveURL(/queue=/);
  // Only the text again: every one of ours, whatever its queue.
  await filters.getByLabel("Search").fill(prefix);
  await expect.poll(() => shown(page)).toEqual([a.id, b.id, c.id, fits.id, elsewhere.id].sort());

  // Two filters changed in the same tick (a fast hand, or a script): each change starts from the
  // one before it, not from the URL that has not caught up yet, so neither is lost.
  await page.evaluate(
    ([client, skill]) => {
      for (const [id, value] of [
        ["filter-client", client],
        ["filter-skill", skill],
      ] as const) {
        const select = document.getElementById(id) as HTMLSelectElement;
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    },
    [clientX, skillOne] as const,
  );
  await expect(page).toHaveURL(/client=/);
  await expect(page).toHaveURL(/skill=/);
  await expect.poll(() => shown(page)).toEqual([a.id]);
  await expect(filters.getByLabel("Client")).toHaveValue(clientX);
  await expect(filters.getByLabel("Skill")).toHaveValue(skillOne);

  await context.close();
  await api.dispose();
});
