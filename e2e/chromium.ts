// Which Chromium the end-to-end tests drive. Playwright's own browser when it is installed (the
// version it was built for); a system Chromium only when CHROMIUM_PATH names one, or when it is
// the only browser there is (Debian machines where Playwright cannot download its own). A system
// browser's major version is checked against the one Playwright expects, with a clear message:
// Playwright speaks the DevTools protocol of its own version, and a browser far from it fails in
// confusing ways. Used by playwright.config.ts and scripts/ensure-test-services.sh.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const SYSTEM_CHROMIUMS = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** How many majors a system browser may be away from Playwright's before we refuse it. */
export const MAX_MAJOR_DRIFT = 4;

export interface ChromiumChoice {
  /** undefined = Playwright's own browser. */
  executablePath: string | undefined;
  source: "playwright" | "CHROMIUM_PATH" | "system";
  /** A line to print (version drift, what was picked), if any. */
  notice?: string;
}

const require = createRequire(import.meta.url);

/** The Chromium version this Playwright was built for, e.g. "159.0.8154.6". */
export function expectedChromiumVersion(): string {
  const dir = path.dirname(require.resolve("playwright-core/package.json"));
  const browsers = JSON.parse(readFileSync(path.join(dir, "browsers.json"), "utf8")) as {
    browsers: { name: string; browserVersion: string }[];
  };
  return browsers.browsers.find((b) => b.name === "chromium")?.browserVersion ?? "unknown";
}

/** Playwright's own Chromium, if `npx playwright install chromium` put it there. */
export function playwrightChromium(): string | null {
  try {
    const { chromium } = require("playwright-core") as { chromium: { executablePath(): string } };
    const exe = chromium.executablePath();
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

export function browserMajor(executable: string): number | null {
  try {
    const out = execFileSync(executable, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20_000,
    });
    const match = /(\d+)\.\d+\.\d+/.exec(out);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Checks a system browser's version; throws when it is unusable or too far from Playwright's. */
function checkSystemBrowser(executable: string, source: ChromiumChoice["source"]): ChromiumChoice {
  const expected = expectedChromiumVersion();
  const expectedMajor = Number(expected.split(".")[0]);
  const major = browserMajor(executable);
  const fix =
    "Install Playwright's own with `npx playwright install chromium`, or point CHROMIUM_PATH at a Chromium close to it.";
  if (major === null)
    throw new Error(`Chromium at ${executable} (${source}) does not answer --version. ${fix}`);
  const drift = Math.abs(major - expectedMajor);
  if (drift > MAX_MAJOR_DRIFT)
    throw new Error(
      `Chromium ${major} at ${executable} (${source}) is ${drift} major versions from the ${expected} this Playwright expects (at most ${MAX_MAJOR_DRIFT} allowed). ${fix}`,
    );
  return {
    executablePath: executable,
    source,
    notice:
      drift === 0
        ? undefined
        : `e2e: using Chromium ${major} at ${executable} (${source}); Playwright expects ${expected}.`,
  };
}

export function chooseChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ChromiumChoice {
  const asked = env.CHROMIUM_PATH;
  if (asked) {
    if (!existsSync(asked)) throw new Error(`CHROMIUM_PATH=${asked}: no such file.`);
    return checkSystemBrowser(asked, "CHROMIUM_PATH");
  }
  if (playwrightChromium()) return { executablePath: undefined, source: "playwright" };
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  if (system) return checkSystemBrowser(system, "system");
  throw new Error(
    "No Chromium for the end-to-end tests: run `npx playwright install chromium`, or set CHROMIUM_PATH.",
  );
}

// `node --import tsx e2e/chromium.ts`: exits 0 when a usable browser is there (the check the
// test services script makes before installing one), 1 with the reason otherwise.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    const choice = chooseChromium();
    console.log(choice.notice ?? `e2e: Chromium from ${choice.source}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
