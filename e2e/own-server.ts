import { randomBytes } from "node:crypto";
import { type Browser, expect } from "@playwright/test";
import pg from "pg";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";
import { type RunningServer, startServer, TEST_ADMIN_TOKEN } from "../test/server-process";
import type { Credentials } from "./session";

// For the stories about a server restarting under a browser: servers of the spec's own (the
// production build, as Playwright's), on a database of their own, stopped and started again at
// the same address while the browser stays open. Several may share the database, as instances do.

export const OWN_ADMIN = { email: "admin@restart.local", password: "restart-admin-password" };

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function ownDatabase(): Promise<OwnDatabase> {
  const name = `orch_e2e_own_${randomBytes(5).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return {
    url: databaseUrl(TEST_ADMIN_URL, name),
    drop: () => admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

/**
 * A server on `database`, engine on, with its first admin; `port` to come back at the same
 * address; `env` for more (ORCHESTRATOR_DEMO=1 makes it a demo).
 */
export function ownServer(
  database: OwnDatabase,
  port?: number,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  return startServer({
    DATABASE_URL: database.url,
    ORCHESTRATOR_ENGINE: "1",
    ORCHESTRATOR_DEMO: "0",
    ORCHESTRATOR_ADMIN_EMAIL: OWN_ADMIN.email,
    ORCHESTRATOR_ADMIN_PASSWORD: OWN_ADMIN.password,
    ...env,
    ...(port ? { PORT: String(port) } : {}),
  });
}

export const OWN_ADMIN_TOKEN = TEST_ADMIN_TOKEN;

/** A browser context on that server, logged in through its login page, on `path`, live. */
export async function ownBrowser(
  browser: Browser,
  server: RunningServer,
  path = "/",
  user: Credentials = OWN_ADMIN,
) {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(user.email);
  if (path !== "/") await page.goto(path);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  return { context, page };
}
