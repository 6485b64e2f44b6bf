import path from "node:path";
import { describe, expect, it } from "vitest";
import { referenceDataFiles, templateFingerprint } from "./global-setup";

describe("the test template's fingerprint", () => {
  it("covers the reference data's source and the modules its data comes from", async () => {
    const files = (await referenceDataFiles()).map((f) => path.relative(process.cwd(), f));
    expect(files).toEqual(expect.arrayContaining(["server/db/reference-data.ts", "lib/queues.ts"]));
    // Types only (the Prisma client) carry no data.
    expect(files).not.toContain("server/db/client.ts");
  });

  it("is stable for the same files", async () => {
    expect(await templateFingerprint()).toBe(await templateFingerprint());
  });
});
