import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database";
import { FakeClock } from "../engine/clock";
import { LoginRateLimiter } from "./login-rate-limit";

const WINDOW_MS = 5 * 60_000;

describe("login rate limiter (counted in PostgreSQL)", () => {
  let db: TestDatabase;
  let clock: FakeClock;
  let limiter: LoginRateLimiter;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
  });
  afterAll(async () => db?.drop());
  beforeEach(async () => {
    await db.prisma.loginRateWindow.deleteMany();
    clock = new FakeClock("2026-11-24T10:00:00Z");
    limiter = new LoginRateLimiter(db.prisma, clock, 3, WINDOW_MS);
  });

  it("allows the limit, then asks to wait until the window ends", async () => {
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await limiter.hit("1.2.3.4:a@x"));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBe(300);
    clock.advance(120_000);
    expect(await limiter.hit("1.2.3.4:a@x")).toBe(180);
    // Another client or account has its own budget.
    expect(await limiter.hit("5.6.7.8:a@x")).toBe(0);
  });

  it("opens a fresh window once the old one ran out, and forgets expired windows", async () => {
    for (let i = 0; i < 5; i++) await limiter.hit("k1");
    clock.advance(WINDOW_MS);
    expect(await limiter.hit("k2")).toBe(0);
    expect(await db.prisma.loginRateWindow.findUnique({ where: { key: "k1" } })).toBeNull();
    expect(await limiter.hit("k1")).toBe(0);
  });

  it("starts afresh after a successful login", async () => {
    for (let i = 0; i < 4; i++) await limiter.hit("k");
    await limiter.reset("k");
    expect(await limiter.hit("k")).toBe(0);
  });

  it("counts concurrent attempts exactly (one atomic upsert each)", async () => {
    const many = new LoginRateLimiter(db.prisma, clock, 100, WINDOW_MS);
    await Promise.all(Array.from({ length: 30 }, () => many.hit("burst")));
    const row = await db.prisma.loginRateWindow.findUnique({ where: { key: "burst" } });
    expect(row?.attempts).toBe(30);
  });
});
