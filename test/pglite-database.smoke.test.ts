import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChangeEvent, EVENTS_CHANNEL } from "@/lib/events";
import { type Database, openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import { FakeClock } from "../server/engine/clock";
import { loadSeedTask } from "../server/engine/format/seed-format";
import { createTask } from "../server/engine/queue/create-task";
import { logger } from "../server/logger";
import { ChangeBus } from "../server/realtime/change-bus";

describe("engine on embedded PGlite", () => {
  let db: Database;
  const clock = new FakeClock("2026-03-01T09:00:00Z");

  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
    await ensureReferenceData(db.prisma);
  });
  afterAll(() => db.close());

  it("migrates, creates a task through CREATED to QUEUED, and notifies after commit", async () => {
    const payloads: string[] = [];
    await db.listen(EVENTS_CHANNEL, (p) => payloads.push(p));
    const bus = new ChangeBus();
    await bus.start(db, logger);
    const heard: ChangeEvent[] = [];
    bus.subscribe((event) => heard.push(event));
    const task = await createTask(
      { prisma: db.prisma, clock },
      { definition: { title: "On PGlite" }, queue: { name: "high_priority" } },
      { id: "test", role: "operator" },
    );
    const seed = await loadSeedTask(db.prisma, task.id);
    expect(seed?.id).toBe("TASK-2026-000001");
    expect(seed?.state.history.map((h) => h.state)).toEqual(["CREATED", "QUEUED"]);
    expect(seed?.queue.sla_deadline).toBe("2026-03-01T17:00:00.000Z");
    // One NOTIFY for the creating transaction, with its events' ids; the bus reads the rows.
    await expect.poll(() => heard.length).toBe(1);
    expect(payloads).toHaveLength(1);
    expect(JSON.parse(payloads[0]!)).toMatchObject({
      ids: [1],
      types: ["task.queued"],
      queues: ["high_priority"],
    });
    expect(heard.at(-1)).toMatchObject({
      taskId: task.id,
      version: 2,
      type: "task.queued",
      queue: "high_priority",
    });
    await bus.stop();
  });
});
