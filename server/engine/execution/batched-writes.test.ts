import { beforeEach, describe, expect, it } from "vitest";
import { EVENTS_CHANNEL, type EventsNotice, parseEventsNotice, wakingTypes } from "@/lib/events";
import type { EngineContext } from "../context";
import { newTask, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { dispatchWakingTypes } from "./engine-runner";
import { driverOnly, keptSlots, resetTasks, setCapacity, stateOf as taskState } from "./testing/support";
import { workSignal } from "./work-signal";
import { blockWork, claimTasks, completeMany, failWork, heartbeat } from "./worker-protocol";

// Set-based batches on the hot path (migration 20261202140000_claim_binds_credential): a batch
// of completions is one set of statements, its freed slots handed over once per queue; a claim
// binds its leases to the credential in its own statement; a claim's notification wakes neither
// the waiting workers nor the dispatcher.

const h = setupEngine({ poolSize: 6 });
const handover = (): EngineContext => ({ ...h.ctx, slotHandover: true });
const stateOf = (id: string) => taskState(h.ctx, id);
const kept = (queue: string) => keptSlots(h.ctx, queue);

beforeEach(async () => {
  await resetTasks(h.ctx);
  await setCapacity(h.ctx, "critical", 3);
});

/** The notifications sent while `run` runs, parsed (each transaction sends one). */
async function noticesOf(run: () => Promise<unknown>, expected: number): Promise<EventsNotice[]> {
  const notices: string[] = [];
  const unlisten = await h.db.listen(EVENTS_CHANNEL, (payload) => notices.push(payload));
  try {
    await run();
    await expect.poll(() => notices.length).toBe(expected);
  } finally {
    await unlisten();
  }
  return notices.map((n) => parseEventsNotice(n)!);
}

describe("a batch of completions", () => {
  it("hands every slot it frees in a bounded queue to the next tasks, never past capacity", async () => {
    const tasks = [];
    for (let i = 0; i < 5; i++) {
      tasks.push(await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 90 - i } }));
    }
    await dispatchOnce(h.ctx);
    const { tasks: claimed } = await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 3 });
    expect(claimed.map((t) => t.id)).toEqual(tasks.slice(0, 3).map((t) => t.id));

    const [notice] = await noticesOf(
      () =>
        completeMany(
          handover(),
          "w",
          claimed.map((t) => ({ taskId: t.id })),
        ),
      1,
    );
    expect(notice?.types.sort()).toEqual(["task.completed", "task.scheduled"]);
    expect(await Promise.all(tasks.map((t) => stateOf(t.id)))).toEqual([
      "COMPLETED",
      "COMPLETED",
      "COMPLETED",
      "SCHEDULED",
      "SCHEDULED",
    ]);
    expect(await kept("critical")).toBe(2);
  });

  it("unblocks a dependent whose two blockers complete together once, naming the later blocker", async () => {
    await setCapacity(h.ctx, "critical", null);
    const first = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 99 } });
    const second = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 98 } });
    const dependent = await newTask(h.ctx, {
      queue: { name: "normal" },
      dependencies: { blocked_by: [first.id, second.id] },
    });
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 2 });

    const results = await completeMany(h.ctx, "w", [{ taskId: first.id }, { taskId: second.id }]);
    expect(results.map((r) => r.ok && r.unblocked)).toEqual([[], [dependent.id]]);
    const audit = await h.ctx.prisma.auditLog.findMany({
      where: { taskId: dependent.id, action: "task.unblocked_by_dependency" },
    });
    expect(audit.map((a) => a.details)).toEqual([{ blocker: second.id }]);
    expect(
      await h.ctx.prisma.event.count({
        where: { taskId: dependent.id, type: "task.unblocked_by_dependency" },
      }),
    ).toBe(1);
  });

  it("refuses, writing nothing, a task whose lease another credential holds, and completes the rest", async () => {
    await setCapacity(h.ctx, "critical", null);
    const mine = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 99 } });
    const theirs = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 10 } });
    await dispatchOnce(h.ctx);
    const keyA = { workerId: "w-shared", credential: "api_key:key-a" };
    const keyB = { workerId: "w-shared", credential: "api_key:key-b" };
    await claimTasks(h.ctx, { ...keyA, skills: ["*"], max: 1 });
    await claimTasks(h.ctx, { ...keyB, skills: ["*"], max: 1 });
    const bound = await h.ctx.prisma.task.findMany({
      orderBy: { id: "asc" },
      select: { leaseCredential: true },
    });
    expect(bound.map((t) => t.leaseCredential)).toEqual(["api_key:key-a", "api_key:key-b"]);
    const historyBefore = await h.ctx.prisma.taskStateHistory.count({ where: { taskId: theirs.id } });

    const results = await completeMany(h.ctx, keyA, [{ taskId: mine.id }, { taskId: theirs.id }]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    const refused = results[1]!;
    expect(!refused.ok && refused.error.details?.workerError).toBe("LEASE_NOT_HELD");
    expect(await stateOf(mine.id)).toBe("COMPLETED");
    expect(await stateOf(theirs.id)).toBe("IN_PROGRESS");
    expect(await h.ctx.prisma.taskStateHistory.count({ where: { taskId: theirs.id } })).toBe(historyBefore);
  });
});

describe("a batch freeing slots in two queues", () => {
  it("takes the queues' slots rows in name order before it writes, so two batches never deadlock", async () => {
    await setCapacity(h.ctx, "urgent", 5);
    const task = (queue: "urgent" | "critical") =>
      newTask(h.ctx, { definition: { title: queue }, queue: { name: queue } });
    const urg = await task("urgent");
    const crit = await task("critical");
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 2 });
    // urgent's task first in the batch and in the table (critical's row rewritten last), so
    // writing in either order meets urgent's slot first.
    await h.ctx.prisma.$executeRaw`UPDATE tasks SET updated_by = updated_by WHERE id = ${crit.id}`;

    // Another transaction holds critical's row. The batch (urgent first in its input) must wait
    // for it holding nothing: had it freed urgent's slot first, a batch holding critical and
    // freeing urgent would wait for it while it waited for critical.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = () => {};
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    const holder = h.ctx.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM queue_slots WHERE queue_name = 'critical' FOR UPDATE`;
        held();
        await released;
      },
      { timeout: 60_000 },
    );
    await holding;
    const batch = completeMany(handover(), "w", [{ taskId: urg.id }, { taskId: crit.id }]);
    await expect
      .poll(async () =>
        Number(
          (
            await h.ctx.prisma.$queryRaw<{ n: bigint }[]>`
              SELECT count(*) AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%orch_complete_many%'`
          )[0]!.n,
        ),
      )
      .toBe(1);
    const urgentFree = await h.ctx.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ in_use: number }[]>`
        SELECT in_use FROM queue_slots WHERE queue_name = 'urgent' FOR UPDATE SKIP LOCKED`;
      return rows.length === 1;
    });
    release();
    await holder;
    expect(urgentFree).toBe(true);
    expect((await batch).map((r) => r.ok)).toEqual([true, true]);
    expect(await kept("critical")).toBe(0);
    expect(await kept("urgent")).toBe(0);
  });
});

describe("a credential-bound lease on the hot path", () => {
  it("heartbeat, block and recoverable failure by the holder are one statement each, without Prisma", async () => {
    await setCapacity(h.ctx, "critical", null);
    const tasks = [
      await newTask(h.ctx, { queue: { name: "critical" } }),
      await newTask(h.ctx, { queue: { name: "critical" } }),
    ];
    await dispatchOnce(h.ctx);
    const holder = { workerId: "w", credential: "api_key:key-a" };
    await claimTasks(h.ctx, { ...holder, skills: ["*"], max: 2 });
    const statements: string[] = [];
    const hotOnly = driverOnly(h.ctx, statements);
    expect((await heartbeat(hotOnly, tasks[0]!.id, holder, { progressPercent: 40 })).progressPercent).toBe(
      40,
    );
    expect((await blockWork(hotOnly, tasks[0]!.id, holder, "waiting for the client")).state).toBe("BLOCKED");
    const failed = await failWork(hotOnly, tasks[1]!.id, holder, {
      error: "rate limited",
      recoverable: true,
    });
    expect(failed.result.task.state).toBe("FAILED");
    expect(statements).toHaveLength(3);
  });
});

describe("what a claim's notification wakes", () => {
  it("says whether a task went IN_PROGRESS without a worker: a claim does not, a resume does", async () => {
    await setCapacity(h.ctx, "critical", null);
    await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    const [claim] = await noticesOf(() => claimTasks(h.ctx, { workerId: "w", skills: ["*"] }), 1);
    expect(claim).toMatchObject({ types: ["task.in_progress"], waitingStarts: false });
    expect(dispatchWakingTypes(claim!)).toEqual([]);

    const [resume] = await noticesOf(
      () =>
        h.ctx.prisma.$transaction(async (tx) => {
          await tx.event.create({
            data: {
              at: h.clock.now(),
              type: "task.in_progress",
              payload: { from: "UNBLOCKED", to: "IN_PROGRESS" },
            },
          });
          await tx.$queryRaw`SELECT orch_flush_events()`;
        }),
      1,
    );
    expect(resume).toMatchObject({ types: ["task.in_progress"], waitingStarts: true });
    expect(dispatchWakingTypes(resume!)).toEqual(["task.in_progress"]);
  });

  it("says whether what a transaction scheduled is still waiting: a dispatch's is, a claim that started it is not", async () => {
    await newTask(h.ctx, { queue: { name: "backlog" } });
    const [dispatched] = await noticesOf(() => dispatchOnce(h.ctx), 1);
    expect(dispatched).toMatchObject({ types: ["task.scheduled"], scheduledWaiting: true });
    expect(wakingTypes(dispatched!)).toEqual(["task.scheduled"]);

    await newTask(h.ctx, { queue: { name: "backlog" } });
    const [claim] = await noticesOf(() => claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 5 }), 1);
    expect([...claim!.types].sort()).toEqual(["task.in_progress", "task.scheduled"]);
    expect(claim).toMatchObject({ waitingStarts: false, scheduledWaiting: false });
    expect(wakingTypes(claim!)).toEqual([]);
  });

  it("wakes waiting workers on a dispatch or a start without a worker, not on another worker's claim", () => {
    const listeners: ((notice: EventsNotice) => void)[] = [];
    const signal = workSignal({
      subscribeNotices: (listener) => {
        listeners.push(listener);
        return () => {};
      },
    });
    const hear = (
      notice: Omit<EventsNotice, "ids" | "queues" | "scheduledWaiting"> & { scheduledWaiting?: boolean },
    ) => {
      for (const listener of listeners)
        listener({ ids: [1], queues: ["critical"], scheduledWaiting: true, ...notice });
    };
    const before = signal.generation;
    hear({ types: ["task.in_progress"], waitingStarts: false });
    hear({ types: ["task.completed"], waitingStarts: false });
    // A claim that dispatched and started waiting tasks at once left nothing SCHEDULED.
    hear({ types: ["task.scheduled", "task.in_progress"], waitingStarts: false, scheduledWaiting: false });
    expect(signal.generation).toBe(before);
    hear({ types: ["task.scheduled", "task.completed"], waitingStarts: false });
    expect(signal.generation).toBe(before + 1);
    hear({ types: ["task.in_progress"], waitingStarts: true });
    expect(signal.generation).toBe(before + 2);
  });
});
