import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseChromium, expectedChromiumVersion, MAX_MAJOR_DRIFT } from "../e2e/chromium";

// The e2e browser choice (e2e/chromium.ts), with fake browsers that only answer --version.

describe("choosing the e2e Chromium", () => {
  let dir: string;
  const expectedMajor = Number(expectedChromiumVersion().split(".")[0]);
  const fakeBrowser = async (name: string, version: string | null) => {
    const file = path.join(dir, name);
    await writeFile(
      file,
      version === null ? "#!/bin/sh\nexit 3\n" : `#!/bin/sh\necho "Chromium ${version}"\n`,
    );
    await chmod(file, 0o755);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "chromium-choice-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("knows the version this Playwright expects", () => {
    expect(expectedChromiumVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("takes CHROMIUM_PATH when its major is Playwright's, without a notice", async () => {
    const exe = await fakeBrowser("same", `${expectedMajor}.0.1.2`);
    expect(chooseChromium({ CHROMIUM_PATH: exe })).toEqual({
      executablePath: exe,
      source: "CHROMIUM_PATH",
      notice: undefined,
    });
  });

  it("takes a close version with a notice naming both", async () => {
    const exe = await fakeBrowser("close", `${expectedMajor - 1}.0.1.2`);
    const choice = chooseChromium({ CHROMIUM_PATH: exe });
    expect(choice.executablePath).toBe(exe);
    expect(choice.notice).toContain(`Chromium ${expectedMajor - 1}`);
    expect(choice.notice).toContain(expectedChromiumVersion());
  });

  it("refuses a browser too far from Playwright's, saying how to fix it", async () => {
    const exe = await fakeBrowser("old", `${expectedMajor - MAX_MAJOR_DRIFT - 1}.0.1.2`);
    expect(() => chooseChromium({ CHROMIUM_PATH: exe })).toThrow(
      /major versions from the [\s\S]*npx playwright install chromium/,
    );
  });

  it("refuses a CHROMIUM_PATH that is missing or does not answer", async () => {
    expect(() => chooseChromium({ CHROMIUM_PATH: path.join(dir, "nothing") })).toThrow(/no such file/);
    const broken = await fakeBrowser("broken", null);
    expect(() => chooseChromium({ CHROMIUM_PATH: broken })).toThrow(/does not answer --version/);
  });
});
