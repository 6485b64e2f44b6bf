import { beforeEach, describe, expect, it } from "vitest";
import { dispatchOnce } from "../execution/dispatcher";
import { resetTasks, setCapacity } from "../execution/testing/support";
import { claimTasks, completeWork } from "../execution/worker-protocol";
import { holdTask } from "../state/blocker-handler";
import { startTask } from "../state/lifecycle";
import { expectDomainError, newTask, OPERATOR, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { lockQueueSlots } from "./capacity-monitor";
import { moveTask } from "./queue-manager";
import { queueStats } from "./stats";

// One count of the slots in use, whoever asks: the dispatcher, the transition guard, the gauges.

const h = setupEngine({ poolSize: 8 });

beforeEach(async () => {
  await resetTasks(h.ctx);
  await setCapacity(h.ctx, "critical", 3);
  await setCapacity(h.ctx, "urgent", 5);
});

const slots = (queue: string) => inTransaction(h.ctx, (tx) => lockQueueSlots(tx, queue));
const gauge = async (queue: string) =>
  (await queueStats(h.ctx.prisma, h.clock)).find((q) => q.queue === queue)!;

async function heldTask(queue: "critical" | "urgent" = "critical") {
  const task = await newTask(h.ctx, {
    queue: { name: queue },
    definition: { title: "held", skill_target: "devops" },
  });
  await holdTask(h.ctx, task.id, OPERATOR);
  return task;
}

describe("slots in use", () => {
  it("are counted the same by the dispatcher, the start guard and the gauges: SCHEDULED + IN_PROGRESS", async () => {
    for (let i = 0; i < 3; i += 1) {
      await newTask(h.ctx, {
        queue: { name: "critical" },
        definition: { title: `t${i}`, skill_target: "devops" },
      });
    }
    const held = await heldTask();
    expect((await dispatchOnce(h.ctx)).scheduled).toHaveLength(3);
    expect(await slots("critical")).toEqual({ capacity: 3, inUse: 3, free: 0 });
    expect(await gauge("critical")).toMatchObject({ scheduled: 3, inProgress: 0, capacity: 3 });

    // Nothing is IN_PROGRESS, yet the queue is full: "start now" is refused.
    const refused = await expectDomainError(startTask(h.ctx, held.id, OPERATOR), "CONFLICT");
    expect(refused.details).toMatchObject({ queue: "critical", capacity: 3, slotsInUse: 3 });

    // A claim keeps the slot the dispatch reserved: still full, still refused.
    const { tasks } = await claimTasks(h.ctx, { workerId: "w", skills: ["devops"] });
    expect(await gauge("critical")).toMatchObject({ scheduled: 2, inProgress: 1 });
    await expectDomainError(startTask(h.ctx, held.id, OPERATOR), "CONFLICT");

    // A completion frees a slot: the operator's start takes it, and the dispatcher sees none free.
    await completeWork(h.ctx, tasks[0]!.id, "w");
    expect((await slots("critical")).free).toBe(1);
    expect((await startTask(h.ctx, held.id, OPERATOR)).task.state).toBe("IN_PROGRESS");
    await newTask(h.ctx, { queue: { name: "critical" } });
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([]);
    expect(await slots("critical")).toEqual({ capacity: 3, inUse: 3, free: 0 });
  });

  it("never lets concurrent starts past capacity", async () => {
    await newTask(h.ctx, { queue: { name: "critical" }, definition: { title: "d", skill_target: "devops" } });
    await dispatchOnce(h.ctx);
    const held = await Promise.all(Array.from({ length: 4 }, () => heldTask()));
    const results = await Promise.allSettled(held.map((t) => startTask(h.ctx, t.id, OPERATOR)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect((await slots("critical")).inUse).toBe(3);
  });

  it("lets a dispatched task start even when capacity was lowered under the slots in use", async () => {
    for (let i = 0; i < 3; i += 1)
      await newTask(h.ctx, {
        queue: { name: "critical" },
        definition: { title: `t${i}`, skill_target: "devops" },
      });
    await dispatchOnce(h.ctx);
    await setCapacity(h.ctx, "critical", 1);
    const { tasks } = await claimTasks(h.ctx, { workerId: "w", skills: ["devops"], max: 3 });
    expect(tasks).toHaveLength(3);
    expect(await slots("critical")).toEqual({ capacity: 1, inUse: 3, free: 0 });
  });

  it("a SCHEDULED task moved to another queue takes its slot there, and needs one free", async () => {
    const task = await newTask(h.ctx, {
      queue: { name: "urgent" },
      definition: { title: "m", skill_target: "devops" },
    });
    await dispatchOnce(h.ctx);
    for (let i = 0; i < 3; i += 1) await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    const full = await expectDomainError(
      moveTask(h.ctx, task.id, OPERATOR, { queue: "critical" }),
      "CONFLICT",
    );
    expect(full.details).toMatchObject({ queue: "critical", slotsInUse: 3 });
    expect(await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      queueName: "urgent",
      state: "SCHEDULED",
    });
    const moved = await moveTask(h.ctx, task.id, OPERATOR, { queue: "high_priority" });
    expect(moved).toMatchObject({ queueName: "high_priority", state: "SCHEDULED" });
    expect([(await slots("urgent")).inUse, (await slots("high_priority")).inUse]).toEqual([0, 1]);
  });
});
