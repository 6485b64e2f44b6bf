import { type Browser, expect, type Page } from "@playwright/test";

export const E2E_ADMIN = { email: "admin@e2e.local", password: "e2e-admin-password" };

export interface Credentials {
  email: string;
  password: string;
}

/** Logs in through the real login page. */
export async function login(page: Page, user: Credentials = E2E_ADMIN): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(user.email);
}

/** A fresh browser context (its own cookies) logged in as `user`, on `path`, with the live socket up. */
export async function browserAs(browser: Browser, user: Credentials, path = "/") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, user);
  if (path !== "/") await page.goto(path);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  return { context, page };
}
