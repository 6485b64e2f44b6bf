import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./database";
import { type RunningServer, startServer } from "./server-process";

// Two server processes on one database, as behind a load balancer: a password guesser spreading
// its attempts over both gets the budget of one, not of two.
describe("login rate limit across server processes", () => {
  let db: TestDatabase;
  let servers: RunningServer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 2 });
    const env = {
      DATABASE_URL: db.url,
      ORCHESTRATOR_ADMIN_EMAIL: "root@test.local",
      ORCHESTRATOR_ADMIN_PASSWORD: "root-password-123",
      LOGIN_RATE_LIMIT: "3",
    };
    servers = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  const login = (server: RunningServer, email: string, password: string) =>
    fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }).then((r) => r.status);

  it("refuses the attempt after the limit whichever process counted the earlier ones", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    await db.prisma.loginRateWindow.deleteMany(); // a fresh budget, whatever ran before
    const statuses = [
      await login(a, "root@test.local", "guess-1"),
      await login(b, "root@test.local", "guess-2"),
      await login(a, "root@test.local", "guess-3"),
      await login(b, "root@test.local", "guess-4"),
      await login(a, "root@test.local", "root-password-123"),
    ];
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it("a successful login on one process gives the budget back on the other", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    await db.prisma.loginRateWindow.deleteMany();
    expect(await login(a, "root@test.local", "guess-1")).toBe(401);
    expect(await login(a, "root@test.local", "guess-2")).toBe(401);
    expect(await login(b, "root@test.local", "root-password-123")).toBe(200);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await login(a, "root@test.local", `again-${i}`));
    expect(after).toEqual([401, 401, 401, 429]);
  });
});
