import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { createTestDatabase, type TestDatabase } from "./database";
import { allowConnections, terminateAllBackends } from "./db-faults";
import { type LiveSocket, openLiveSocket, waitUntil } from "./live-socket";
import {
  adminHeaders,
  type RunningServer,
  spawnExampleWorker,
  startServer,
  TEST_ADMIN_TOKEN,
} from "./server-process";

// The database goes away under a working system: a real server (engine on, its fallback poll
// pushed out of reach so only heard changes dispatch), a fleet of real worker processes
// (scripts/example-worker.ts) working tasks, a socket open. Mid-run every backend is terminated
// and new connections are refused for a while (an outage), then accepted again. Meanwhile the
// API answers 503 DATABASE_UNAVAILABLE with Retry-After and the engine's loops pause; afterwards
// every task completes exactly once, live events reach the socket opened before, and dispatch is
// event-driven again.

const TASKS = 12;
const WORKERS = 3;

describe("a database outage under load", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let socket: LiveSocket;
  const workers: { process: ChildProcess; log: () => string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    server = await startServer({
      DATABASE_URL: db.url,
      ORCHESTRATOR_ENGINE: "1",
      ORCHESTRATOR_SIMULATOR: "0",
      ORCHESTRATOR_DISPATCH_POLL_MS: "3600000",
      LOG_LEVEL: "info",
      API_RATE_LIMIT_PER_MINUTE: "1000000",
    });
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    for (const w of workers) if (w.process.exitCode === null) w.process.kill("SIGKILL");
    await allowConnections(db.name, true);
    await server?.stop();
    await db?.drop();
  });

  async function createTask(title: string): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({
        definition: { title, type: "development", skill_target: "qa" },
        queue: { name: "urgent" },
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { task: SeedTask }).task.id;
  }

  const completed = async () => db.prisma.task.count({ where: { state: "COMPLETED" } });
  const context = () =>
    `${server.output().slice(-3_000)}\n--- workers ---\n${workers.map((w) => w.log().slice(-700)).join("\n")}`;

  it("answers 503 while the database is away, and afterwards every task completes exactly once", async () => {
    const keyResponse = await fetch(`${server.url}/api/v1/api-keys`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ name: "fleet", scopes: ["worker"] }),
    });
    const { key } = (await keyResponse.json()) as { key: string };
    socket = await openLiveSocket(server.url, { token: TEST_ADMIN_TOKEN });

    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++) ids.push(await createTask(`fleet task ${i}`));
    for (let i = 0; i < WORKERS; i++) {
      const worker = spawnExampleWorker(server.url, key, {
        skills: "qa",
        workerId: `fleet-${i}`,
        concurrency: 2,
        workMs: 500,
        pollMs: 100,
      });
      workers.push(worker);
    }
    await waitUntil("the fleet to be mid-run", async () => (await completed()) >= 2, 60_000, context);

    // The outage: every backend killed, new connections refused.
    await allowConnections(db.name, false);
    expect(await terminateAllBackends(db.name)).toBeGreaterThan(0);
    let refused: Response | undefined;
    await waitUntil("the API to answer 503", async () => {
      const response = await fetch(`${server.url}/api/v1/tasks`, { headers: adminHeaders() });
      if (response.status === 503) refused = response;
      return response.status === 503;
    });
    expect(refused?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused?.json()).toMatchObject({ error: { code: "DATABASE_UNAVAILABLE" } });
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    await waitUntil("the engine to pause", () =>
      server.output().includes("database unavailable: loop paused"),
    );
    await allowConnections(db.name, true);

    await waitUntil("every task completed", async () => (await completed()) === TASKS, 120_000, context);
    await waitUntil("the engine to resume", () => server.output().includes("database back: loop resumed"));
    const completions = await db.prisma.taskStateHistory.groupBy({
      by: ["taskId"],
      where: { state: "COMPLETED", taskId: { in: ids } },
      _count: true,
    });
    expect(completions).toHaveLength(TASKS);
    expect(completions.every((c) => c._count === 1)).toBe(true);
    // No request failed as a bug (500 INTERNAL) on the way.
    expect(server.output()).not.toContain("unhandled error in route");

    // Live again: a new task is dispatched (no poll: its change was heard), worked and completed,
    // and the socket opened before the outage hears it all.
    await waitUntil("health ok", async () => (await fetch(`${server.url}/api/health`)).status === 200);
    const fresh = await createTask("after the outage");
    await waitUntil(
      "the fresh task completed",
      async () => (await db.prisma.task.findUnique({ where: { id: fresh } }))?.state === "COMPLETED",
      60_000,
      context,
    );
    await waitUntil("the old socket to hear the fresh task's completion", () =>
      socket.events.some((e) => e.taskId === fresh && e.type === "task.completed"),
    );
    expect(socket.socket.connected).toBe(true);
  }, 240_000);
});
