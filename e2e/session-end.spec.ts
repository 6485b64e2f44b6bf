import { type BrowserContext, expect, request, test } from "@playwright/test";
import { adminApi, createUser } from "./api";
import { browserAs, E2E_ADMIN, login } from "./session";

// Stories: logging out ends the session for good, and a person an admin deactivates loses
// access at once, in the browser they are using and with the cookie they hold.

/** What the server says to the session cookie this context holds, sent from outside the browser. */
async function meWithCookieOf(context: BrowserContext, baseURL: string): Promise<number> {
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const outside = await request.newContext({ baseURL, extraHTTPHeaders: { cookie } });
  const status = (await outside.get("/api/v1/auth/me")).status();
  await outside.dispose();
  return status;
}

test("logging out returns to the login page and the old session cookie is refused", async ({
  browser,
  baseURL,
}) => {
  const api = await adminApi();
  const operator = await createUser(api, "operator");
  const { context, page } = await browserAs(browser, operator);
  const stolen = await context.cookies();
  expect(await meWithCookieOf(context, baseURL as string)).toBe(200);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // The app is closed to this browser now…
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  // …and the cookie it had, kept by someone, opens nothing: the session is gone on the server.
  await context.addCookies(stolen);
  expect(await meWithCookieOf(context, baseURL as string)).toBe(401);

  await context.close();
  await api.dispose();
});

test("a person an admin deactivates loses access at once and cannot log in again", async ({
  browser,
  baseURL,
}) => {
  const api = await adminApi();
  const person = await createUser(api, "account_manager");
  const user = await browserAs(browser, person);
  const admin = await browserAs(browser, E2E_ADMIN, "/admin/users");

  await admin.page.getByRole("button", { name: `Deactivate ${person.email}` }).click();
  await expect(admin.page.getByRole("button", { name: `Reactivate ${person.email}` })).toBeVisible();

  // The cookie the person's browser holds is refused from now on, and the app sends them to log in.
  expect(await meWithCookieOf(user.context, baseURL as string)).toBe(401);
  await user.page.goto("/escalations");
  await expect(user.page).toHaveURL(/\/login/);
  await user.page.getByLabel("Email").fill(person.email);
  await user.page.getByLabel("Password").fill(person.password);
  await user.page.getByRole("button", { name: "Log in" }).click();
  await expect(user.page.getByRole("alert").filter({ hasText: "Email or password is wrong" })).toBeVisible();
  await expect(user.page).toHaveURL(/\/login/);

  // Reactivated, the same password works again (the refusal was the deactivation, not the password).
  await admin.page.getByRole("button", { name: `Reactivate ${person.email}` }).click();
  await expect(admin.page.getByRole("button", { name: `Deactivate ${person.email}` })).toBeVisible();
  await login(user.page, person);

  await user.context.close();
  await admin.context.close();
  await api.dispose();
});
