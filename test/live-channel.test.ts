import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { createTestDatabase, type TestDatabase } from "./database";
import { allowConnections, terminateListeners } from "./db-faults";
import { type LiveSocket, openLiveSocket, waitUntil } from "./live-socket";
import { adminHeaders, type RunningServer, startServer, TEST_ADMIN_TOKEN } from "./server-process";

// The live channel across faults and instances, with two real server processes on one
// database: a change committed through instance A reaches sockets on instance B; after the
// database connection behind LISTEN is killed (pg_terminate_backend, as a restart or failover
// does), health says degraded while it is down, every socket is told to resynchronise once it
// is back, and changes reach sockets opened before and after.

describe("the live channel", () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 2 });
    [a, b] = await Promise.all([
      startServer({ DATABASE_URL: db.url }),
      startServer({ DATABASE_URL: db.url }),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await allowConnections(db.name, true);
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  const open = async (server: RunningServer) => {
    const socket = await openLiveSocket(server.url, { token: TEST_ADMIN_TOKEN });
    sockets.push(socket);
    return socket;
  };

  async function createTask(server: RunningServer, title: string): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({
        definition: { title, type: "development", skill_target: "backend" },
        queue: { name: "normal" },
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { task: SeedTask }).task.id;
  }

  const health = async (server: RunningServer) =>
    (await (await fetch(`${server.url}/api/health`)).json()) as { status: string; listener?: string };

  const heard = (socket: LiveSocket, taskId: string) => socket.events.some((e) => e.taskId === taskId);

  it("carries a change committed through instance A to a socket on instance B", async () => {
    const onB = await open(b);
    const id = await createTask(a, "made on A");
    await waitUntil("B's socket to hear A's change", () => heard(onB, id), 30_000, b.output);
  });

  it("heals after the listener's backend is terminated: degraded meanwhile, a resync to every socket, live again", async () => {
    const before = await open(a);
    expect(await health(a)).toMatchObject({ status: "ok", listener: "up" });

    // Keep the database refusing new connections so that the listener stays down a while.
    await allowConnections(db.name, false);
    expect(await terminateListeners(db.name)).toBeGreaterThanOrEqual(2);
    await waitUntil("health to report the listener down", async () => (await health(a)).listener === "down");
    await allowConnections(db.name, true);

    await waitUntil("health to be ok again", async () => (await health(a)).status === "ok", 30_000, a.output);
    await waitUntil("the resync signal on the socket opened before", () => before.gaps() >= 1);

    const after = await open(a);
    const id = await createTask(b, "after the heal");
    await waitUntil("the socket opened before to hear it", () => heard(before, id), 30_000, a.output);
    await waitUntil("the socket opened after to hear it", () => heard(after, id), 30_000, a.output);
  });
});
