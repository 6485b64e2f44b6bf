import { expect, test } from "@playwright/test";
import { adminApi, createUser, unique } from "./api";
import { browserAs } from "./session";

// The command bar turns the seed's sentence into the e-commerce chain, a person confirms it, and
// the chain is on the board; the same bar runs the free-text router.

test("the seed's sentence proposes the e-commerce chain, confirmed it lands on the board", async ({
  browser,
}) => {
  const api = await adminApi();
  const manager = await createUser(api, "account_manager");
  const { context, page } = await browserAs(browser, manager, "/");

  await page.keyboard.press("Control+K");
  const bar = page.getByTestId("command-bar");
  await bar.getByRole("combobox").fill("Refonte site e-commerce, budget 20k€, deadline juin");
  const propose = bar.getByTestId("command-propose");
  await expect(propose).toContainText("E-commerce redesign");
  await expect(propose).toContainText("budget 20k€");
  await propose.click();

  const proposal = page.getByTestId("command-proposal");
  await expect(proposal.getByLabel("Budget range")).toHaveValue("20k€");
  await expect(proposal.getByLabel("Project deadline")).toHaveValue(/^\d{4}-06-30$/);
  const client = unique("Boutique");
  await proposal.getByLabel("Client").fill(client);
  await proposal.getByRole("button", { name: "Create the chain" }).click();

  const created = page.getByTestId("command-created");
  await expect(created).toContainText("Created 3 tasks");
  await created.getByRole("link", { name: "See them on the board" }).click();
  await expect(page).toHaveURL(/client=/);
  const cards = page.getByTestId("board").getByTestId("task-card");
  await expect(cards).toHaveCount(3);
  await expect(cards.first()).toContainText(client);
  await context.close();
  await api.dispose();
});

test("the bar runs a command through the router and says what it needs", async ({ browser }) => {
  const api = await adminApi();
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator, "/");
  await page.keyboard.press("Control+K");
  const bar = page.getByTestId("command-bar");
  await bar.getByRole("combobox").fill("bump");
  await bar.getByTestId("command-run").click();
  await expect(page.getByTestId("command-answer")).toHaveAttribute("data-status", "needs");
  await expect(page.getByTestId("command-answer")).toContainText("Which task?");
  await context.close();
  await api.dispose();
});
