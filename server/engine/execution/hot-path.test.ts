import { beforeEach, describe, expect, it } from "vitest";
import { EVENTS_CHANNEL, parseEventsNotice } from "@/lib/events";
import { logger } from "../../logger";
import { ChangeBus } from "../../realtime/change-bus";
import { type EngineContext, SYSTEM_ACTOR as SYSTEM } from "../context";
import { loadSeedTask } from "../format/seed-format";
import { reconcileSlots } from "../queue/capacity-monitor";
import { createTaskAnswer } from "../queue/create-task";
import { lockTask } from "../state/commit-change";
import { newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { dispatchOnce } from "./dispatcher";
import { handleFailure } from "./error-handler";
import { workerActor } from "./leases";
import {
  dispatchedTwice,
  insertQueuedTasks,
  keptSlots,
  peakActivePerQueue,
  resetTasks,
  setCapacity,
  stateOf as taskState,
} from "./testing/support";
import { workSignal } from "./work-signal";
import { blockWork, claimTasks, completeMany, completeWork, failWork } from "./worker-protocol";

// The hot path's own promises (hot-path.ts, prisma/migrations/*_hot_path): a freed slot handed
// over in the completing transaction, one NOTIFY per transaction, slots in use kept without
// counting and reconciled, batched completions answering each for itself, claims that wait.

const h = setupEngine({ poolSize: 10 });
const handover = (): EngineContext => ({ ...h.ctx, slotHandover: true });
const stateOf = (id: string) => taskState(h.ctx, id);
const kept = (queue: string) => keptSlots(h.ctx, queue);

beforeEach(async () => {
  await resetTasks(h.ctx);
  await setCapacity(h.ctx, "critical", 1);
});

describe("slot handover", () => {
  it("a completion hands its slot to the queue's next task in the same transaction, with one NOTIFY", async () => {
    const first = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 99 } });
    const second = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 95 } });
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([first.id]);
    const [claimed] = (await claimTasks(h.ctx, { workerId: "w", skills: ["*"] })).tasks;
    expect(claimed?.id).toBe(first.id);

    const notices: string[] = [];
    const unlisten = await h.db.listen(EVENTS_CHANNEL, (payload) => notices.push(payload));
    await completeWork(handover(), first.id, "w");
    expect(await stateOf(first.id)).toBe("COMPLETED");
    expect(await stateOf(second.id)).toBe("SCHEDULED");
    expect(await kept("critical")).toBe(1);

    await expect.poll(() => notices.length).toBe(1);
    const notice = parseEventsNotice(notices[0]!);
    expect(notice?.types.sort()).toEqual(["task.completed", "task.scheduled"]);
    const events = await h.ctx.prisma.event.findMany({ where: { id: { in: notice!.ids.map(BigInt) } } });
    expect(events.map((e) => [e.type, e.taskId]).sort()).toEqual([
      ["task.completed", first.id],
      ["task.scheduled", second.id],
    ]);
    await unlisten();
  });

  it("a worker's block frees its slot for the next task in the same statement", async () => {
    const first = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 99 } });
    const second = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 95 } });
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"] });
    const blocked = await blockWork(handover(), first.id, "w", "  waiting for the client  ");
    expect(blocked).toMatchObject({
      state: "BLOCKED",
      blockerReason: "waiting for the client",
      leaseExpiresAt: null,
    });
    expect(await stateOf(second.id)).toBe("SCHEDULED");
    const history = await h.ctx.prisma.taskStateHistory.findFirst({
      where: { taskId: first.id },
      orderBy: { id: "desc" },
    });
    expect(history).toMatchObject({
      state: "BLOCKED",
      fromState: "IN_PROGRESS",
      reason: "waiting for the client",
      actor: "worker:w",
    });
  });

  it("a worker's recoverable failure is one statement that writes what the TypeScript path writes", async () => {
    const fast = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 99 } });
    const next = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 90 } });
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"] });
    const half = () => 0.5;
    const failure = { error: "  rate limited  ", recoverable: true };
    const outcome = await failWork(handover(), fast.id, "w", failure, { random: half });
    expect(outcome).toMatchObject({ nextAttempt: 1, gaveUp: null, escalationId: null });
    expect(outcome.nextRetryAt?.getTime()).toBe(h.clock.now().getTime() + 30_000);
    expect(await stateOf(next.id)).toBe("SCHEDULED"); // the freed slot, handed over

    // The same failure of the next task through the TypeScript path: the same rows.
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"] });
    await inTransaction(h.ctx, async (tx, at) =>
      handleFailure(tx, at, await lockTask(tx, next.id), failure, workerActor("w"), { random: half }),
    );
    const written = async (id: string) => {
      const task = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id } });
      const history = await h.ctx.prisma.taskStateHistory.findFirstOrThrow({
        where: { taskId: id },
        orderBy: { id: "desc" },
      });
      const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
        where: { taskId: id },
        orderBy: { id: "desc" },
      });
      const event = await h.ctx.prisma.event.findFirstOrThrow({
        where: { taskId: id },
        orderBy: { id: "desc" },
      });
      return {
        task: [
          task.state,
          task.previousState,
          task.lastError,
          task.nextRetryAt,
          task.leaseExpiresAt,
          task.retryCount,
        ],
        history: [
          history.state,
          history.fromState,
          history.reason,
          history.actor,
          history.version === task.version,
        ],
        audit: [audit.action, audit.actor, audit.fromState, audit.toState, audit.reason, audit.details],
        event: [event.type, event.payload, event.queue, event.version === task.version],
      };
    };
    const viaStatement = await written(fast.id);
    expect(viaStatement.task).toEqual([
      "FAILED",
      "IN_PROGRESS",
      "rate limited",
      outcome.nextRetryAt,
      null,
      0,
    ]);
    expect(await written(next.id)).toEqual(viaStatement);
    expect(await kept("critical")).toBe(0);
  });

  it("a creation takes its queue's free slot in its own statement, with one NOTIFY", async () => {
    const notices: string[] = [];
    const unlisten = await h.db.listen(EVENTS_CHANNEL, (payload) => notices.push(payload));
    const answer = await createTaskAnswer(
      handover(),
      { definition: { title: "Now" }, queue: { name: "critical" } },
      SYSTEM,
    );
    expect(answer.state.current).toBe("SCHEDULED");
    expect(answer.state.history.map((s) => s.state)).toEqual(["CREATED", "QUEUED", "SCHEDULED"]);
    expect(answer.queue.position).toBeNull();
    expect(answer).toEqual(await loadSeedTask(h.ctx.prisma, answer.id));
    expect(await kept("critical")).toBe(1);
    await expect.poll(() => notices.length).toBe(1);
    expect(parseEventsNotice(notices[0]!)?.types.sort()).toEqual(["task.queued", "task.scheduled"]);
    const audit = await h.ctx.prisma.auditLog.findMany({
      where: { taskId: answer.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["task.created", "task.queued", "task.scheduled"]);
    await unlisten();

    // The slot is taken now: the next creation waits, first in line.
    const next = await createTaskAnswer(
      handover(),
      { definition: { title: "Later" }, queue: { name: "critical" } },
      SYSTEM,
    );
    expect(next.state.current).toBe("QUEUED");
    expect(next.queue.position).toBe(0);
    expect(await kept("critical")).toBe(1);
  });

  it("a creation hands a free slot to an older task waiting before it, not to itself", async () => {
    const waiting = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 99 } });
    const answer = await createTaskAnswer(
      handover(),
      { definition: { title: "Behind" }, queue: { name: "critical" }, priority: { score: 10 } },
      SYSTEM,
    );
    expect(answer.state.current).toBe("QUEUED");
    expect(answer.queue.position).toBe(0);
    expect(await stateOf(waiting.id)).toBe("SCHEDULED");
    expect(await kept("critical")).toBe(1);
  });

  it("a creation without handover stays QUEUED for the dispatcher", async () => {
    const answer = await createTaskAnswer(
      h.ctx,
      { definition: { title: "Frozen" }, queue: { name: "critical" } },
      SYSTEM,
    );
    expect(answer.state.current).toBe("QUEUED");
    expect(await kept("critical")).toBe(0);
  });

  it("without handover the slot waits for a dispatch round (tests that drive rounds themselves)", async () => {
    const first = await newTask(h.ctx, { queue: { name: "critical" } });
    const second = await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"] });
    await completeWork(h.ctx, first.id, "w");
    expect(await stateOf(second.id)).toBe("QUEUED");
  });

  it("holds capacity while completions hand slots over and dispatch rounds race them", async () => {
    await setCapacity(h.ctx, "critical", 3);
    await setCapacity(h.ctx, "urgent", 2);
    const total = 300;
    await insertQueuedTasks(
      h.ctx,
      Array.from({ length: total }, (_, i) => ({
        queue: i % 2 ? "critical" : "urgent",
        score: (i * 37) % 100,
      })),
    );
    let completed = 0;
    const worker = async (id: string) => {
      while (completed < total) {
        const { tasks } = await claimTasks(h.ctx, { workerId: id, skills: ["*"], max: 50 });
        if (tasks.length === 0) {
          await dispatchOnce(h.ctx);
          continue;
        }
        const results = await completeMany(
          handover(),
          id,
          tasks.map((t) => ({ taskId: t.id })),
        );
        completed += results.filter((r) => r.ok).length;
      }
    };
    await Promise.all([worker("a"), worker("b"), worker("c"), dispatchOnce(h.ctx), dispatchOnce(h.ctx)]);
    expect(await h.ctx.prisma.task.count({ where: { state: "COMPLETED" } })).toBe(total);
    expect(await dispatchedTwice(h.ctx.prisma)).toEqual([]);
    for (const q of (await peakActivePerQueue(h.ctx.prisma)).filter((p) =>
      ["critical", "urgent"].includes(p.queue),
    )) {
      expect(q.peak, q.queue).toBeLessThanOrEqual(q.capacity!);
    }
    expect(await kept("critical")).toBe(0);
    expect(await kept("urgent")).toBe(0);
  });
});

describe("slots in use without counting", () => {
  it("queue_slots follows every state change, and the reconcile corrects and reports a drift", async () => {
    await setCapacity(h.ctx, "critical", 3);
    const tasks = await Promise.all([0, 1, 2].map(() => newTask(h.ctx, { queue: { name: "critical" } })));
    await dispatchOnce(h.ctx);
    expect(await kept("critical")).toBe(3);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 3 });
    expect(await kept("critical")).toBe(3);
    await completeWork(h.ctx, tasks[0]!.id, "w");
    expect(await kept("critical")).toBe(2);
    expect(await reconcileSlots(h.ctx)).toEqual([]);

    await h.ctx.prisma.$executeRaw`UPDATE queue_slots SET in_use = 7 WHERE queue_name = 'critical'`;
    expect(await reconcileSlots(h.ctx)).toEqual([{ queue: "critical", counted: 2, kept: 7 }]);
    expect(await kept("critical")).toBe(2);
    expect(await reconcileSlots(h.ctx)).toEqual([]);
  });

  it("an unbounded queue's slots are not counted; setting a capacity recounts them", async () => {
    await setCapacity(h.ctx, "backlog", null);
    await Promise.all([0, 1, 2].map(() => newTask(h.ctx, { queue: { name: "backlog" } })));
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 1 });
    expect(await kept("backlog")).toBe(0);
    expect(await reconcileSlots(h.ctx)).toEqual([]);

    await setCapacity(h.ctx, "backlog", 5);
    expect(await kept("backlog")).toBe(3);
    await completeWork(
      h.ctx,
      (await h.ctx.prisma.task.findFirstOrThrow({ where: { state: "IN_PROGRESS" } })).id,
      "w",
    );
    expect(await kept("backlog")).toBe(2);
    expect(await reconcileSlots(h.ctx)).toEqual([]);
    await setCapacity(h.ctx, "backlog", null);
    expect(await kept("backlog")).toBe(0);
  });

  it("refuses to go below zero", async () => {
    const task = await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    await h.ctx.prisma.$executeRaw`UPDATE queue_slots SET in_use = 0 WHERE queue_name = 'critical'`;
    await expect(
      h.ctx.prisma.task.update({ where: { id: task.id }, data: { state: "QUEUED" } }),
    ).rejects.toThrow(/below 0/);
  });
});

describe("batched completions and waiting claims", () => {
  it("completes many in one call; each result answers for itself", async () => {
    await setCapacity(h.ctx, "critical", 5);
    for (let i = 0; i < 3; i++) await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    const mine = (await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 2 })).tasks;
    const theirs = (await claimTasks(h.ctx, { workerId: "other", skills: ["*"] })).tasks;
    const results = await completeMany(
      h.ctx,
      "w",
      [...mine, ...theirs].map((t) => ({ taskId: t.id, output: { notes: ["done"] } })),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    const refused = results[2]!;
    expect(!refused.ok && refused.error.details?.workerError).toBe("LEASE_NOT_HELD");
    const done = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: mine[0]!.id } });
    expect(done).toMatchObject({
      state: "COMPLETED",
      notes: ["done"],
      progressPercent: 100,
      leaseExpiresAt: null,
    });
    expect(await stateOf(theirs[0]!.id)).toBe("IN_PROGRESS");
  });

  it("a claim with nothing to take waits for a dispatch, then takes it", async () => {
    const bus = new ChangeBus();
    await bus.start(h.db, logger.child({}, { level: "warn" }));
    const signal = workSignal(bus);
    const waiting = claimTasks(h.ctx, { workerId: "w", skills: ["*"], waitMs: 60_000, signal });
    const task = await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    const { tasks } = await waiting;
    expect(tasks.map((t) => t.id)).toEqual([task.id]);
    await bus.stop();
  });
});
