import { beforeEach, describe, expect, it } from "vitest";
import type { Task } from "../../db/generated/client";
import { holdTask, unblockTask } from "../state/blocker-handler";
import { historyOf, MANAGER, newTask, OPERATOR, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { AWAITING_SUBTASKS } from "./leases";
import { insertQueuedTasks, resetTasks, setCapacity } from "./testing/support";
import { blockWork, claimTasks, completeWork } from "./worker-protocol";

const h = setupEngine({ poolSize: 6 });

beforeEach(async () => {
  await resetTasks(h.ctx);
  await setCapacity(h.ctx, "critical", 3);
});

const stateOf = async (id: string) => (await h.ctx.prisma.task.findUniqueOrThrow({ where: { id } })).state;

describe("dispatch", () => {
  it("hands the highest-ranked eligible tasks to their skill, never past capacity", async () => {
    const scores = [10, 90, 50, 70, 30];
    const tasks: Task[] = [];
    for (const score of scores) {
      tasks.push(
        await newTask(h.ctx, {
          queue: { name: "critical" },
          priority: { score },
          definition: { title: `s${score}`, skill_target: "devops" },
        }),
      );
    }
    const first = await dispatchOnce(h.ctx);
    const byScore = (ids: string[]) => ids.map((id) => tasks.find((t) => t.id === id)!.priorityScore);
    expect(byScore(first.scheduled)).toEqual([90, 70, 50]);
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([]);

    const history = await historyOf(h.ctx, first.scheduled[0]!);
    expect(history.at(-1)).toMatchObject({
      fromState: "QUEUED",
      state: "SCHEDULED",
      actor: "task-orchestrator/execution",
    });
    const audit = await h.ctx.prisma.auditLog.findFirst({
      where: { taskId: first.scheduled[0], toState: "SCHEDULED" },
    });
    expect(audit?.details).toMatchObject({ skill_target: "devops", queue: "critical" });

    // A claimed task still holds its slot (SCHEDULED and IN_PROGRESS both count).
    const { tasks: claimed } = await claimTasks(h.ctx, { workerId: "w1", skills: ["devops"], max: 3 });
    expect(claimed).toHaveLength(3);
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([]);

    // A completion frees one slot: the next-ranked task takes it.
    await completeWork(h.ctx, claimed[0]!.id, "w1");
    expect(byScore((await dispatchOnce(h.ctx)).scheduled)).toEqual([30]);
    expect(await stateOf(tasks[0]!.id)).toBe("QUEUED");
  });

  it("honours a manual rank before the score", async () => {
    const low = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 5 } });
    const high = await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 95 } });
    await setCapacity(h.ctx, "critical", 1);
    await h.ctx.prisma.task.update({ where: { id: low.id }, data: { rank: "a0" } });
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([low.id]);
    expect(await stateOf(high.id)).toBe("QUEUED");
  });

  it("leaves tasks on hold and tasks whose blockers are not done; dispatches a dependent once its blocker completes", async () => {
    await setCapacity(h.ctx, "urgent", 5);
    const blocker = await newTask(h.ctx, {
      queue: { name: "urgent" },
      definition: { title: "blocker", skill_target: "pm" },
    });
    const dependent = await newTask(h.ctx, {
      queue: { name: "urgent" },
      priority: { score: 99 },
      dependencies: { blocked_by: [blocker.id] },
    });
    const held = await newTask(h.ctx, { queue: { name: "urgent" }, priority: { score: 99 } });
    await holdTask(h.ctx, held.id, OPERATOR);

    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([blocker.id]);
    const [claimed] = (await claimTasks(h.ctx, { workerId: "w", skills: ["pm"] })).tasks;
    await completeWork(h.ctx, claimed!.id, "w");
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([dependent.id]);
    expect(await stateOf(held.id)).toBe("ON_HOLD");
  });

  it("does not dispatch a planned task before its date, and does after; reports when it is due", async () => {
    const due = new Date(h.clock.now().getTime() + 2 * 3_600_000);
    const planned = await newTask(h.ctx, { queue: { name: "scheduled", scheduled_for: due.toISOString() } });
    const first = await dispatchOnce(h.ctx);
    expect(first.scheduled).toEqual([]);
    expect(first.nextDueAt?.toISOString()).toBe(due.toISOString());
    expect(await stateOf(planned.id)).toBe("QUEUED");

    h.clock.advance(2 * 3_600_000 - 1_000);
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([]);
    h.clock.advance(1_000);
    expect((await dispatchOnce(h.ctx)).scheduled).toEqual([planned.id]);
    expect(await stateOf(planned.id)).toBe("SCHEDULED");
  });

  it("dispatches an unlimited queue in batches and says when there is more", async () => {
    for (let i = 0; i < 5; i++) await newTask(h.ctx, { queue: { name: "backlog" } });
    const first = await dispatchOnce(h.ctx, { batchLimit: 3 });
    expect([first.scheduled.length, first.more]).toEqual([3, true]);
    const second = await dispatchOnce(h.ctx, { batchLimit: 3 });
    expect([second.scheduled.length, second.more]).toEqual([2, false]);
  });

  it("dispatches 500 of an unlimited queue per one-statement round by default, enough for ten workers' claims", async () => {
    await insertQueuedTasks(
      h.ctx,
      Array.from({ length: 520 }, () => ({ queue: "backlog" })),
    );
    const first = await dispatchOnce(h.ctx);
    expect([first.scheduled.length, first.more]).toEqual([500, true]);
    const second = await dispatchOnce(h.ctx);
    expect([second.scheduled.length, second.more]).toEqual([20, false]);
  });

  it("resumes an UNBLOCKED task within capacity, unleased, for any executor of its skill", async () => {
    await setCapacity(h.ctx, "critical", 1);
    const task = await newTask(h.ctx, {
      queue: { name: "critical" },
      definition: { title: "b", skill_target: "frontend" },
    });
    await newTask(h.ctx, { queue: { name: "critical" } });
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w1", skills: ["frontend"] });
    await blockWork(h.ctx, task.id, "w1", "Attente validation client");
    // The blocked task gave its slot back: the other task is dispatched.
    expect((await dispatchOnce(h.ctx)).scheduled).toHaveLength(1);
    await unblockTask(h.ctx, task.id, MANAGER);
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([]); // queue full
    await setCapacity(h.ctx, "critical", 2);
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([task.id]);
    const resumed = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect([resumed.state, resumed.leaseExpiresAt, resumed.leaseOwner === AWAITING_SUBTASKS]).toEqual([
      "IN_PROGRESS",
      null,
      false,
    ]);
    const { tasks } = await claimTasks(h.ctx, { workerId: "w2", skills: ["frontend"] });
    expect(tasks.map((t) => [t.id, t.leaseOwner])).toEqual([[task.id, "w2"]]);
  });
});
