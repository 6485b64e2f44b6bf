import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { defineConfig, devices, type PlaywrightTestProject } from "@playwright/test";
import { chooseChromium } from "./e2e/chromium";

/**
 * The e2e server's port and database come from the environment; left out, a free port and a
 * database named after this run, so two runs on one machine never meet. They are written back
 * to the environment, which Playwright's workers inherit (e2e/api.ts reads E2E_PORT).
 */
function freePort(): number {
  const script =
    "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim());
}
process.env.E2E_PORT ??= String(freePort());
// scripts/e2e-server.ts drops the databases of runs whose process is gone (orch_e2e_run_<pid>).
process.env.E2E_DATABASE_NAME ??= `orch_e2e_run_${process.pid}`;
const port = Number(process.env.E2E_PORT);

/**
 * The first admin of the e2e server (e2e/session.ts logs in with it), and the operator's admin
 * token the specs use to set up data over the API (e2e/api.ts).
 */
const E2E_ADMIN_ENV = {
  ORCHESTRATOR_ADMIN_EMAIL: "admin@e2e.local",
  ORCHESTRATOR_ADMIN_PASSWORD: "e2e-admin-password",
  ORCHESTRATOR_ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef",
};

const browser = chooseChromium();
if (browser.notice && !process.env.E2E_QUIET_BROWSER) {
  console.log(browser.notice);
  process.env.E2E_QUIET_BROWSER = "1"; // once per run, not once per worker
}

const chromium: PlaywrightTestProject["use"] = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: browser.executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

/**
 * E2E_SHUFFLE=<seed> runs the spec files in an order drawn from the seed (one project per file,
 * listed in that order; Playwright runs projects in the order they are listed when nothing
 * depends on anything), to prove no spec leans on another's data. `random` draws a seed; the
 * seed is printed so a failing order can be replayed.
 */
function specProjects(): PlaywrightTestProject[] {
  const asked = process.env.E2E_SHUFFLE;
  if (!asked) return [{ name: "chromium", use: chromium }];
  if (asked === "random") process.env.E2E_SHUFFLE = String(Math.floor(Math.random() * 2 ** 31));
  const seed = Number(process.env.E2E_SHUFFLE);
  if (!Number.isInteger(seed)) throw new Error(`E2E_SHUFFLE=${asked}: give an integer seed or "random".`);
  const files = readdirSync("e2e")
    .filter((f) => f.endsWith(".spec.ts"))
    .sort();
  // Mulberry32: small, seeded, the same order for the same seed on every machine.
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [files[i], files[j]] = [files[j] as string, files[i] as string];
  }
  if (!process.env.E2E_QUIET_SHUFFLE) {
    console.log(`e2e: spec files in shuffled order, seed ${seed} (E2E_SHUFFLE=${seed} replays it)`);
    process.env.E2E_QUIET_SHUFFLE = "1";
  }
  return files.map((file) => ({ name: file.replace(/\.spec\.ts$/, ""), testMatch: file, use: chromium }));
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  // Generous limits that only bound a failure; no test asserts how fast anything is.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: specProjects(),
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
      E2E_DATABASE_NAME: process.env.E2E_DATABASE_NAME,
      ...E2E_ADMIN_ENV,
    },
  },
});
