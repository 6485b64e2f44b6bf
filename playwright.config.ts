import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);

/**
 * The first admin of the e2e server (e2e/session.ts logs in with it), and the operator's admin
 * token the specs use to set up data over the API (e2e/api.ts).
 */
const E2E_ADMIN_ENV = {
  ORCHESTRATOR_ADMIN_EMAIL: "admin@e2e.local",
  ORCHESTRATOR_ADMIN_PASSWORD: "e2e-admin-password",
  ORCHESTRATOR_ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef",
};

/** Debian's Chromium where Playwright cannot download its own browser; Playwright's own elsewhere. */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node --import tsx scripts/e2e-server.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ORCHESTRATOR_DEMO: "0",
      ...E2E_ADMIN_ENV,
    },
  },
});
