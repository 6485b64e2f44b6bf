import { expect, test } from "@playwright/test";
import { type Receiver, startReceiver } from "../server/engine/integrations/test-receiver";
import { unique } from "./api";
import { login } from "./session";

// An admin subscribes a real local HTTP receiver, sends a test, sees the delivery and its
// attempt; the receiver starts failing, the admin resends and sees each new attempt; then
// disables and deletes the subscription.

let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver(200);
});

test.afterAll(async () => {
  await receiver?.close();
});

test("an admin subscribes a receiver, tests it, and resends a delivery after a failure", async ({ page }) => {
  await login(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

  // The server's field errors show inline.
  const url = page.getByLabel("Payload URL");
  await url.fill("ftp://example.com/hook");
  await page.getByRole("button", { name: "Add subscription" }).click();
  await expect(url).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Only http and https URLs")).toBeVisible();

  const name = unique("receiver");
  await url.fill(receiver.url);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Event types").fill("webhook.*");
  await page.getByRole("button", { name: "Add subscription" }).click();
  await expect(page.getByTestId("secret")).toHaveText(/^whsec_/);
  await page.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);

  const row = page.locator(`[data-testid="webhooks-table"] tr[data-url="${receiver.url}"]`).last();
  await expect(row).toContainText(name);
  await expect(row).toContainText("active");

  await row.getByRole("button", { name: `Send a test to ${receiver.url}` }).click();
  await expect(page.getByText("Test sent: HTTP 200")).toBeVisible();
  await receiver.waitFor(1);
  const deliveryId = String(receiver.requests[0]?.headers["webhook-id"]);

  const delivery = page.locator(`tr[data-delivery-id="${deliveryId}"]`);
  await expect(delivery).toHaveAttribute("data-status", "succeeded");
  await expect(delivery).toContainText("webhook.test");
  await expect(delivery).toContainText("HTTP 200");
  await delivery.getByRole("button", { name: "Attempts" }).click();
  const attempts = page.getByTestId("attempts-table");
  await expect(attempts.locator("tr[data-attempt]")).toHaveCount(1);
  await expect(attempts.locator('tr[data-attempt="1"]')).toContainText("HTTP 200");
  await expect(attempts.locator('tr[data-attempt="1"]')).toContainText("test");

  // The receiver fails: the resend is a new attempt with its 500.
  receiver.fallback = 500;
  await delivery.getByRole("button", { name: "Resend" }).click();
  await expect(page.getByText("Resent as attempt #2: HTTP 500")).toBeVisible();
  await expect(attempts.locator('tr[data-attempt="2"]')).toContainText("HTTP 500");
  await expect(attempts.locator('tr[data-attempt="2"]')).toContainText("manual");
  await expect(delivery).toHaveAttribute("data-status", "failed");

  // It recovers: resent again, delivered.
  receiver.fallback = 200;
  await delivery.getByRole("button", { name: "Resend" }).click();
  await expect(page.getByText("Resent as attempt #3: HTTP 200")).toBeVisible();
  await expect(attempts.locator("tr[data-attempt]")).toHaveCount(3);
  await expect(delivery).toHaveAttribute("data-status", "succeeded");
  expect(receiver.requests).toHaveLength(3);
  expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([deliveryId]));

  await row.getByRole("button", { name: `Disable ${receiver.url}` }).click();
  await expect(row).toContainText("disabled");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Delete ${receiver.url}` }).click();
  await expect(page.locator(`tr[data-url="${receiver.url}"]`)).toHaveCount(0);
});
