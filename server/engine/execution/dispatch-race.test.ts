import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/database";
import { logger } from "../../logger";
import { ChangeBus } from "../../realtime/change-bus";
import { systemClock } from "../clock";
import type { EngineContext } from "../context";
import { dispatchedTwice, insertQueuedTasks, peakActivePerQueue } from "./testing/support";
import { workSignal } from "./work-signal";
import { claimTasks, completeMany } from "./worker-protocol";

// Capacity and exactly-once dispatch with several server processes on one database: three
// dispatcher PROCESSES race over 10,000 tasks in three small queues while a fourth actor (this
// process, three concurrent workers claiming batches and completing them in one call; no slot
// handover here, so every freed slot is raced for by the three processes) keeps freeing slots.
// Checked: live snapshots of the active count per queue, then a replay of the whole state
// history (testing/support.ts peakActivePerQueue), and that no task was dispatched twice.
// Nothing here is timed: the run waits for the work to be done, within vitest's generous limit.

const CAPACITY: Record<string, number> = { critical: 3, urgent: 5, high_priority: 20 };
const TASKS = 10_000;

interface RacerReport {
  pid: number;
  rounds: number;
  scheduled: number;
}

function runRacer(url: string): Promise<RacerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "server/engine/execution/testing/dispatch-racer.ts", url],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`dispatcher exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as RacerReport);
      } catch (error) {
        reject(new Error(`bad dispatcher output ${out} ${err}: ${error}`));
      }
    });
  });
}

describe("dispatch with three processes on one database", () => {
  let db: TestDatabase;
  let ctx: EngineContext;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 6 });
    ctx = { prisma: db.prisma, clock: systemClock };
    for (const [name, capacity] of Object.entries(CAPACITY)) {
      await db.prisma.queue.update({ where: { name }, data: { capacity } });
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("the replay check sees an overbooked queue (so the race test can fail)", async () => {
    // Its own history only: under a shuffled order the race may have run first.
    await db.prisma.$executeRawUnsafe("TRUNCATE tasks, task_state_history CASCADE");
    const ids = await insertQueuedTasks(ctx, [{ queue: "critical" }, { queue: "critical" }], 900_001);
    await db.prisma.queue.update({ where: { name: "critical" }, data: { capacity: 1 } });
    await db.prisma.taskStateHistory.createMany({
      data: ids.map((taskId) => ({
        taskId,
        state: "SCHEDULED" as const,
        fromState: "QUEUED" as const,
        at: new Date(),
        actor: "t",
        version: 3,
      })),
    });
    const peak = (await peakActivePerQueue(db.prisma)).find((q) => q.queue === "critical");
    expect(peak).toMatchObject({ peak: 2, capacity: 1 });
    expect(await dispatchedTwice(db.prisma)).toEqual([]);
    await db.prisma.taskStateHistory.create({
      data: {
        taskId: ids[0]!,
        state: "SCHEDULED",
        fromState: "QUEUED",
        at: new Date(),
        actor: "t",
        version: 4,
      },
    });
    expect(await dispatchedTwice(db.prisma)).toEqual([{ task_id: ids[0], n: 2 }]);
    await db.prisma.$executeRawUnsafe("TRUNCATE tasks, task_state_history CASCADE");
    await db.prisma.queue.update({ where: { name: "critical" }, data: { capacity: CAPACITY.critical } });
  });

  it("never exceeds a queue's capacity and dispatches each task exactly once", async () => {
    const queues = Object.keys(CAPACITY);
    await insertQueuedTasks(
      ctx,
      Array.from({ length: TASKS }, (_, i) => ({ queue: queues[i % queues.length]!, score: (i * 37) % 100 })),
    );

    const racers = [runRacer(db.url), runRacer(db.url), runRacer(db.url)];
    let finished = false;
    const overbooked: string[] = [];

    // Live snapshots: one statement each, so a consistent view of the active tasks.
    const watcher = (async () => {
      while (!finished) {
        const rows = await db.prisma.$queryRaw<{ queue_name: string; active: number }[]>`
            SELECT queue_name, count(*)::int AS active FROM tasks
            WHERE state IN ('SCHEDULED', 'IN_PROGRESS') GROUP BY queue_name`;
        for (const r of rows) {
          if (r.active > (CAPACITY[r.queue_name] ?? Number.POSITIVE_INFINITY))
            overbooked.push(`${r.queue_name}:${r.active}`);
        }
        // A sampling period, not a wait for anything: the loop ends when the race does, and
        // the replay check below (peakActivePerQueue) proves capacity whatever was sampled.
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    // The fourth actor: workers completing what they claim, so slots free up.
    const bus = new ChangeBus();
    await bus.start(db, logger.child({}, { level: "warn" }));
    const signal = workSignal(bus);
    let completed = 0;
    const worker = async (id: string) => {
      while (completed < TASKS) {
        const { tasks } = await claimTasks(ctx, {
          workerId: id,
          skills: ["*"],
          max: 50,
          waitMs: 1_000,
          signal,
        });
        if (tasks.length === 0) continue;
        const results = await completeMany(
          ctx,
          id,
          tasks.map((t) => ({ taskId: t.id })),
        );
        expect(results.filter((r) => !r.ok)).toEqual([]);
        completed += results.length;
      }
    };
    await Promise.all([worker("a"), worker("b"), worker("c")]);
    await bus.stop();
    const reports = await Promise.all(racers);
    finished = true;
    await watcher;

    expect(completed).toBe(TASKS);
    expect(await db.prisma.task.count({ where: { state: "COMPLETED" } })).toBe(TASKS);
    expect(reports.reduce((n, r) => n + r.scheduled, 0)).toBe(TASKS);
    // The processes really raced: more than one of them dispatched.
    expect(reports.filter((r) => r.scheduled > 0).length).toBeGreaterThanOrEqual(2);

    expect(overbooked).toEqual([]);
    expect(await dispatchedTwice(db.prisma)).toEqual([]);
    const peaks = (await peakActivePerQueue(db.prisma)).filter((q) => q.queue in CAPACITY);
    for (const q of peaks) {
      expect(q.peak, q.queue).toBeLessThanOrEqual(q.capacity!);
      // Slots were used to the full: capacity is what limited the dispatch.
      expect(q.peak, q.queue).toBe(q.capacity);
    }
    const perTask = await db.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM task_state_history WHERE from_state = 'QUEUED' AND state = 'SCHEDULED'`;
    expect(perTask[0]?.n).toBe(TASKS);
  }, 900_000);
});
