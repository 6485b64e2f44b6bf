import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database";
import { FakeClock } from "../engine/clock";
import { DEMO_USERS, ensureDemoUsers, ensureInitialAdmin } from "./users";

describe("bootstrap users with several instances starting at once", () => {
  let db: TestDatabase;
  const clock = new FakeClock("2026-11-24T10:00:00Z");

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
  });
  afterAll(async () => db?.drop());

  it("creates the first admin once, and the racing instances start anyway", async () => {
    const env = {
      ...process.env,
      ORCHESTRATOR_ADMIN_EMAIL: "Boss@Test.local",
      ORCHESTRATOR_ADMIN_PASSWORD: "boss-password-1",
    };
    const created = await Promise.all(
      Array.from({ length: 5 }, () => ensureInitialAdmin(db.prisma, clock, env)),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await db.prisma.user.count({ where: { email: "boss@test.local" } })).toBe(1);
  });

  it("creates each demo user once under the same race", async () => {
    const counts = await Promise.all([ensureDemoUsers(db.prisma, clock), ensureDemoUsers(db.prisma, clock)]);
    expect(counts[0]! + counts[1]!).toBe(DEMO_USERS.length);
    expect(await db.prisma.user.count({ where: { email: { endsWith: "@demo.local" } } })).toBe(
      DEMO_USERS.length,
    );
  });
});
