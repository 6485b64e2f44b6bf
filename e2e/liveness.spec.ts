import { expect, test } from "@playwright/test";
import { adminApi, createApiKey, createUser } from "./api";
import { browserAs } from "./session";

// Honest liveness: losing the network says "Reconnecting" at once (the browser's offline event)
// with the time the data is from, and the wall says its data is as of hh:mm; both recover by
// themselves. No time is asserted: the waits are bounded only to end a failure. A server gone
// silent is noticed by the socket heartbeat (server/realtime/socket-server.test.ts).

test("going offline shows Reconnecting with the data's time, then Live again", async ({ browser }) => {
  const api = await adminApi();
  const viewer = await createUser(api, "viewer");
  const { context, page } = await browserAs(browser, viewer, "/");
  const status = page.getByTestId("live-status");
  await expect(status).toHaveAttribute("data-status", "live");

  await context.setOffline(true);
  await expect(status).toHaveAttribute("data-status", "reconnecting");
  await expect(status).toContainText("Reconnecting");
  await expect(page.getByTestId("live-as-of")).toHaveText(/data as of ([01]\d|2[0-3]):[0-5]\d/);

  await context.setOffline(false);
  await expect(status).toHaveAttribute("data-status", "live", { timeout: 15_000 });
  await context.close();
  await api.dispose();
});

test("the wall says how old its data is while its feed is down, and recovers by itself", async ({
  browser,
}) => {
  const api = await adminApi();
  const wallToken = await createApiKey(api, ["wall"]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/wall?token=${wallToken}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await expect(page.getByTestId("wall-stale")).toHaveCount(0);

  await context.setOffline(true);
  await expect(page.getByTestId("wall-stale")).toHaveText(/Data as of ([01]\d|2[0-3]):[0-5]\d/);
  await context.setOffline(false);
  await expect(page.getByTestId("wall-stale")).toHaveCount(0, { timeout: 15_000 });
  await context.close();
  await api.dispose();
});
