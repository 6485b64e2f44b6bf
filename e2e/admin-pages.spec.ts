import { expect, test } from "@playwright/test";
import { unique } from "./api";
import { login } from "./session";

// The users and API keys pages, on the shared admin table, form and secret notice: inline
// server errors, a person added, a key's secret shown once, a wall URL, a revoke.

test("an admin adds a person and makes, shows once and revokes an API key", async ({ page }) => {
  await login(page);
  await page.goto("/admin/users");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  const email = `${unique("person")}@e2e.local`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("Pat Person");
  await page.getByLabel("Initial password").fill("person-password-1");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByText(`${email} can now log in.`)).toBeVisible();
  await expect(page.locator(`[data-testid="users-table"] tr[data-email="${email}"]`)).toContainText(
    "Pat Person",
  );

  await page.goto("/admin/api-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  const name = unique("ci-key");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("checkbox", { name: /^read/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("secret")).toHaveText(/^tok_/);
  await expect(page.getByTestId("wall-url")).toHaveCount(0);
  await page.getByRole("button", { name: "I have copied it" }).click();

  await page.getByRole("button", { name: "Create a wall display URL" }).click();
  await expect(page.getByTestId("wall-url")).toContainText("/wall?token=tok_");
  await page.getByRole("button", { name: "I have copied it" }).click();

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByTestId("api-keys-table").locator("tr", { hasText: name })).toContainText("revoked");
});
