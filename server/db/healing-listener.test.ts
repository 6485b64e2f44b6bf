import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_CHANNEL } from "@/lib/events";
import { createTestDatabase, type TestDatabase } from "../../test/database";
import { allowConnections, listenerBackends, terminateListeners } from "../../test/db-faults";
import { waitUntil } from "../../test/live-socket";
import { systemClock } from "../engine/clock";
import type { EngineContext } from "../engine/context";
import { startEngine } from "../engine/execution/engine-runner";
import { createTask } from "../engine/queue/create-task";
import { SYSTEM } from "../engine/state/test-support";
import { logger } from "../logger";

// The change channel heals: the LISTEN connection is killed from outside (pg_terminate_backend,
// what a PostgreSQL restart or failover does to it), and while new connections are refused the
// listener reports itself down; once they are accepted again it reconnects, LISTENs again,
// signals the gap, and notifications reach it again.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 4 });
});

afterAll(async () => {
  await allowConnections(db.name, true);
  await db?.drop();
});

async function notify(payload: string): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, payload]);
  } finally {
    await client.end();
  }
}

describe("the healing LISTEN connection", () => {
  it("reports down while the database refuses it, reconnects, signals the gap and hears notifications again", async () => {
    const heard: string[] = [];
    let gaps = 0;
    const unlisten = await db.listen(EVENTS_CHANNEL, (p) => heard.push(p), { onGap: () => (gaps += 1) });
    try {
      await notify("before");
      await waitUntil("the first notification", () => heard.includes("before"));
      expect(db.listenerHealth().state).toBe("up");

      await allowConnections(db.name, false);
      expect(await terminateListeners(db.name)).toBeGreaterThanOrEqual(1);
      await waitUntil("the listener to notice it is down", () => db.listenerHealth().state === "down");
      expect(gaps).toBe(0);

      await allowConnections(db.name, true);
      await waitUntil("the listener to heal", () => db.listenerHealth().state === "up");
      await waitUntil("the gap signal", () => gaps === 1);
      expect(db.listenerHealth().listeners[0]?.reconnects).toBe(1);
      expect(await listenerBackends(db.name)).toBe(1);

      await notify("after");
      await waitUntil("a notification after the heal", () => heard.includes("after"));
    } finally {
      await allowConnections(db.name, true);
      await unlisten();
    }
  });

  it("wakes the dispatcher by LISTEN again after its connection was terminated", async () => {
    const ctx: EngineContext = { prisma: db.prisma, clock: systemClock };
    // No fallback poll within the test: only a heard change (or the gap round) can dispatch.
    const engine = await startEngine(db, ctx, logger, { pollMs: 600_000, sweepMs: 600_000 });
    const newTask = (title: string) =>
      createTask(
        ctx,
        { definition: { title, type: "development", skill_target: "backend" }, queue: { name: "urgent" } },
        SYSTEM,
      );
    const stateOf = async (id: string) => (await ctx.prisma.task.findUnique({ where: { id } }))?.state;
    try {
      expect(await terminateListeners(db.name)).toBeGreaterThanOrEqual(1);
      await waitUntil(
        "the engine's listener to heal",
        () =>
          db.listenerHealth().listeners.some((l) => l.reconnects > 0) && db.listenerHealth().state === "up",
      );
      const first = await newTask("after the heal");
      await waitUntil("the first task dispatched", async () => (await stateOf(first.id)) === "SCHEDULED");
      // The gap round is over by now: this one is dispatched because its change was heard.
      const second = await newTask("heard by LISTEN");
      await waitUntil("the second task dispatched", async () => (await stateOf(second.id)) === "SCHEDULED");
    } finally {
      await engine.stop();
    }
  });
});
