import { expect, test } from "@playwright/test";
import { adminApi, createUser } from "./api";
import { browserAs } from "./session";

// The metrics window switch asks for the new window at once (it used to wait up to a minute),
// and the report it offers is named for that window.

const DAY_MS = 86_400_000;

test("switching the window fetches the new window's figures at once and names the report for it", async ({
  browser,
}) => {
  const api = await adminApi();
  const manager = await createUser(api, "account_manager");
  const { context, page } = await browserAs(browser, manager, "/metrics");
  await expect(page.locator('[data-testid="kpi"]')).toHaveCount(7);

  const request = page.waitForRequest((r) => {
    const from = new URL(r.url()).searchParams.get("from");
    return (
      r.url().includes("/api/v1/metrics") && from !== null && Date.now() - Date.parse(from) > 29 * DAY_MS
    );
  });
  await page.getByRole("button", { name: "30 days" }).click();
  await request;
  await expect(page.getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");

  const href = await page.getByTestId("report-csv").getAttribute("href");
  const from = new URL(href!, "http://x").searchParams.get("from")!;
  expect(Date.now() - Date.parse(from)).toBeGreaterThan(29 * DAY_MS);
  const report = await page.request.get(href!);
  expect(report.headers()["content-disposition"]).toContain(`report-queue-${from.slice(0, 10)}-`);
  await context.close();
  await api.dispose();
});
