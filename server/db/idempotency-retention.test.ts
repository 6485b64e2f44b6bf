import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database";
import { IDEMPOTENCY_RETENTION_DAYS, pruneIdempotencyRecords } from "./idempotency-retention";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 1 });
});
afterAll(async () => {
  await db?.drop();
});

it("forgets Idempotency-Keys older than the retention and keeps the recent ones", async () => {
  const now = new Date("2026-06-10T12:00:00Z");
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  for (const [key, at] of [
    ["old", daysAgo(IDEMPOTENCY_RETENTION_DAYS + 1)],
    ["recent", daysAgo(IDEMPOTENCY_RETENTION_DAYS - 1)],
  ] as const) {
    await db.prisma.idempotencyRecord.create({
      data: { key, scope: "test", requestHash: "h", status: 201, response: {}, createdAt: at },
    });
  }
  expect(await pruneIdempotencyRecords(db.prisma, now)).toBe(1);
  expect((await db.prisma.idempotencyRecord.findMany()).map((r) => r.key)).toEqual(["recent"]);
});
