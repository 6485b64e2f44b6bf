import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database";

// The settings every pooled connection carries (client.ts): JIT compilation off, since the
// engine's per-row subqueries are estimated far above what they cost and JIT then compiled for
// longer than the query ran.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 2 });
});

afterAll(async () => {
  await db?.drop();
});

describe("a pooled connection", () => {
  it("runs without JIT compilation, through Prisma and through the driver", async () => {
    const viaPrisma = await db.prisma.$queryRawUnsafe<{ jit: string }[]>("SHOW jit");
    expect(viaPrisma[0]?.jit).toBe("off");
    const viaDriver = await db.sql<{ jit: string }>("SHOW jit");
    expect(viaDriver[0]?.jit).toBe("off");
  });
});
