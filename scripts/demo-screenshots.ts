// The README's screenshots, taken from the demo data (not test fixtures): starts nothing, shoots a
// running demo server (`npm run demo`, or ORCHESTRATOR_DEMO=1 npm start) with Chromium.
//   SCREENSHOT_URL=http://localhost:3000 node --import tsx scripts/demo-screenshots.ts
// Saves docs/screenshots/*.png: the English board, the French board, inbox and task, the wall at
// 1920×1080 and 3840×2160 (French), and the phone views (390 px).
import { chromium, type Page } from "@playwright/test";
import { DEMO_USERS } from "../server/auth/users";

const base = process.env.SCREENSHOT_URL ?? "http://localhost:3000";
const dir = process.env.SCREENSHOT_DIR ?? "docs/screenshots";
const out = (name: string) => `${dir}/demo-${name}.png`;
const manager = DEMO_USERS.find((u) => u.role === "account_manager")!;
const admin = DEMO_USERS.find((u) => u.role === "admin")!;

async function login(page: Page, user: { email: string; password: string }, locale: "en" | "fr") {
  await page.goto(`${base}/login`);
  // The form must be hydrated before it is sent (else the browser submits it as a GET).
  await page.waitForFunction(() => {
    const form = document.querySelector("form");
    return form !== null && Object.keys(form).some((k) => k.startsWith("__reactProps"));
  });
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId("signed-in-as").waitFor({ timeout: 120_000 });
  // The person's language, saved as the header's menu does it.
  await page.request.patch(`${base}/api/v1/auth/me/preferences`, {
    data: { locale },
    headers: { origin: base },
  });
}

async function settle(page: Page) {
  await page
    .getByTestId("live-status")
    .and(page.locator('[data-status="live"]'))
    .waitFor({ timeout: 120_000 });
  // The live socket keeps the network busy: wait for the data, then for the charts' short
  // drawing animation, before the picture.
  await page.locator("main").first().waitFor();
  await page.waitForTimeout(3_000);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium",
});
try {
  for (const locale of ["en", "fr"] as const) {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale,
      timezoneId: "Europe/Paris",
    });
    const page = await context.newPage();
    await login(page, manager, locale);
    const suffix = locale === "fr" ? "-fr" : "";
    for (const [name, path] of [
      ["board", "/"],
      ["escalations", "/escalations"],
      ["metrics", "/metrics?days=30"],
      ["graph", "/graph"],
      ["queues", "/queues"],
    ] as const) {
      await page.goto(`${base}${path}`);
      await settle(page);
      await page.screenshot({ path: out(`${name}${suffix}`) });
    }
    await context.close();
  }

  // The wall on a TV: a wall key made by the admin, French labels, both resolutions.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await login(adminPage, admin, "en");
  const key = await adminPage.request.post(`${base}/api/v1/api-keys`, {
    data: { name: `Wall screenshots ${Date.now()}`, scopes: ["wall"] },
    headers: { origin: base },
  });
  const { key: token } = (await key.json()) as { key: string };
  await adminContext.close();
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    const context = await browser.newContext({
      viewport: { width, height },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    const page = await context.newPage();
    await page.goto(`${base}/wall?token=${encodeURIComponent(token)}`);
    await settle(page);
    await page.screenshot({ path: out(`wall-${width}x${height}`) });
    await context.close();
  }

  // A phone: the inbox and the board at 390 px.
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: "fr-FR",
    deviceScaleFactor: 2,
  });
  const page = await phone.newPage();
  await login(page, manager, "fr");
  for (const [name, path] of [
    ["phone-board", "/"],
    ["phone-escalations", "/escalations"],
  ] as const) {
    await page.goto(`${base}${path}`);
    await settle(page);
    await page.screenshot({ path: out(name) });
  }
  await phone.close();
} finally {
  await browser.close();
}
