import { type Browser, expect, type Page } from "@playwright/test";
import type { Credentials } from "./session";

// A browser that reads French: fr-FR Accept-Language, Paris time. The login page is in French
// too (no saved setting yet: Accept-Language decides).

/** Logs in through the login page as a French browser sees it. */
export async function frenchLogin(page: Page, user: Credentials): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Mot de passe").fill(user.password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(user.email);
}

export async function frenchBrowserAs(browser: Browser, user: Credentials, path = "/") {
  const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris" });
  const page = await context.newPage();
  await frenchLogin(page, user);
  if (path !== "/") await page.goto(path);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  return { context, page };
}
