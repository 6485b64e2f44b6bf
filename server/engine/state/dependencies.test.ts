import { describe, expect, it } from "vitest";
import { addDependency, removeDependency, setParentTask } from "./dependencies";
import { isEligible, parentReadyToComplete, pendingBlockers } from "./eligibility";
import { completeTask, scheduleTask, startTask } from "./lifecycle";
import { cancelTask } from "./rollback-manager";
import { EXECUTOR, expectDomainError, MANAGER, newTask, OPERATOR, SYSTEM, setupEngine } from "./test-support";

const h = setupEngine();

async function finish(id: string) {
  await scheduleTask(h.ctx, id, SYSTEM);
  await startTask(h.ctx, id, EXECUTOR);
  return completeTask(h.ctx, id, EXECUTOR);
}

describe("addDependency / removeDependency", () => {
  it("adds an edge, bumping both tasks, and is idempotent", async () => {
    const blocker = await newTask(h.ctx);
    const dependent = await newTask(h.ctx);
    const after = await addDependency(h.ctx, dependent.id, blocker.id, OPERATOR, {
      expectedVersion: dependent.version,
    });
    expect(after.version).toBe(dependent.version + 1);
    expect((await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: blocker.id } })).version).toBe(
      blocker.version + 1,
    );
    expect(await pendingBlockers(h.ctx.prisma, dependent.id)).toEqual([blocker.id]);
    const again = await addDependency(h.ctx, dependent.id, blocker.id, OPERATOR);
    expect(again.version).toBe(after.version);
  });

  it("refuses a self-dependency", async () => {
    const task = await newTask(h.ctx);
    const err = await expectDomainError(
      addDependency(h.ctx, task.id, task.id, OPERATOR),
      "DEPENDENCY_CONFLICT",
    );
    expect(err.message).toContain("itself");
  });

  it("refuses a direct cycle and a longer one A → B → C → A, naming the cycle, changing nothing", async () => {
    const a = await newTask(h.ctx);
    const b = await newTask(h.ctx);
    const c = await newTask(h.ctx);
    await addDependency(h.ctx, b.id, a.id, OPERATOR); // A blocks B
    const direct = await expectDomainError(addDependency(h.ctx, a.id, b.id, OPERATOR), "DEPENDENCY_CONFLICT");
    expect(direct.details.cycle).toEqual([b.id, a.id, b.id]);
    await addDependency(h.ctx, c.id, b.id, OPERATOR); // B blocks C
    const before = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: a.id } });
    const err = await expectDomainError(addDependency(h.ctx, a.id, c.id, OPERATOR), "DEPENDENCY_CONFLICT");
    expect(err.details.cycle).toEqual([c.id, a.id, b.id, c.id]);
    expect(err.message).toContain(`${c.id} → ${a.id} → ${b.id} → ${c.id}`);
    expect(await h.ctx.prisma.taskDependency.count({ where: { dependentId: a.id } })).toBe(0);
    expect((await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: a.id } })).version).toBe(before.version);
  });

  it("refuses two concurrent edges that would close a cycle together", async () => {
    const a = await newTask(h.ctx);
    const b = await newTask(h.ctx);
    const results = await Promise.allSettled([
      addDependency(h.ctx, b.id, a.id, OPERATOR),
      addDependency(h.ctx, a.id, b.id, OPERATOR),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await h.ctx.prisma.taskDependency.count({ where: { blockerId: { in: [a.id, b.id] } } })).toBe(1);
  });

  it("refuses a cancelled blocker, a finished dependent and unknown tasks", async () => {
    const gone = await newTask(h.ctx);
    await cancelTask(h.ctx, gone.id, MANAGER, { reason: "x" });
    const task = await newTask(h.ctx);
    await expectDomainError(addDependency(h.ctx, task.id, gone.id, OPERATOR), "DEPENDENCY_CONFLICT");
    await expectDomainError(addDependency(h.ctx, gone.id, task.id, OPERATOR), "CONFLICT");
    await expectDomainError(addDependency(h.ctx, task.id, "TASK-2026-999999", OPERATOR), "NOT_FOUND");
    await expectDomainError(
      addDependency(h.ctx, task.id, task.id.replace(/\d$/, "x"), OPERATOR),
      "NOT_FOUND",
    );
  });

  it("removes an edge; the dependent becomes eligible when it was the last unfinished blocker", async () => {
    const blocker = await newTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [blocker.id] } });
    expect(await isEligible(h.ctx.prisma, dependent.id, h.clock.now())).toBe(false);
    await removeDependency(h.ctx, dependent.id, blocker.id, OPERATOR);
    expect(await isEligible(h.ctx.prisma, dependent.id, h.clock.now())).toBe(true);
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: dependent.id },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      action: "task.dependency_removed",
      details: { blocked_by: blocker.id, eligible: true },
    });
    await expectDomainError(removeDependency(h.ctx, dependent.id, blocker.id, OPERATOR), "NOT_FOUND");
  });
});

describe("eligibility and automatic unblocking", () => {
  it("a task waits in QUEUED until its blockers complete; then it is released with an event", async () => {
    const first = await newTask(h.ctx);
    const second = await newTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [first.id, second.id] } });
    const err = await expectDomainError(scheduleTask(h.ctx, dependent.id, SYSTEM), "CONFLICT");
    expect(err.details.waitingOn).toEqual([first.id, second.id]);

    const one = await finish(first.id);
    expect(one.unblocked).toEqual([]);
    expect(await isEligible(h.ctx.prisma, dependent.id, h.clock.now())).toBe(false);
    const two = await finish(second.id);
    expect(two.unblocked).toEqual([dependent.id]);
    expect(await isEligible(h.ctx.prisma, dependent.id, h.clock.now())).toBe(true);
    const event = await h.ctx.prisma.event.findFirstOrThrow({
      where: { taskId: dependent.id },
      orderBy: { id: "desc" },
    });
    expect(event.type).toBe("task.unblocked_by_dependency");
    const current = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: dependent.id } });
    expect([current.state, event.version]).toEqual(["QUEUED", current.version]);
    expect((await scheduleTask(h.ctx, dependent.id, SYSTEM)).task.state).toBe("SCHEDULED");
  });

  it("an ON_HOLD task with unfinished blockers cannot be started now", async () => {
    const blocker = await newTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [blocker.id] } });
    await h.ctx.prisma.task.update({ where: { id: dependent.id }, data: { state: "ON_HOLD" } });
    await expectDomainError(startTask(h.ctx, dependent.id, OPERATOR), "CONFLICT");
  });

  it("a scheduled-queue task is eligible only from its planned date", async () => {
    const task = await newTask(h.ctx, {
      queue: { name: "scheduled", scheduled_for: "2026-03-03T08:00:00Z" },
    });
    expect(await isEligible(h.ctx.prisma, task.id, h.clock.now())).toBe(false);
    expect(await isEligible(h.ctx.prisma, task.id, new Date("2026-03-03T08:00:00Z"))).toBe(true);
  });
});

describe("parent and subtasks", () => {
  it("reports the parent ready when its last subtask completes", async () => {
    const parent = await newTask(h.ctx);
    const s1 = await newTask(h.ctx, { dependencies: { parent_task: parent.id } });
    const s2 = await newTask(h.ctx);
    await setParentTask(h.ctx, s2.id, parent.id, OPERATOR);
    expect((await finish(s1.id)).parentReady).toBeNull();
    expect((await finish(s2.id)).parentReady).toBe(parent.id);
    expect(await parentReadyToComplete(h.ctx.prisma, parent.id)).toBe(parent.id);
    expect(await parentReadyToComplete(h.ctx.prisma, s1.id)).toBeNull();
  });

  it("refuses a parent that is the task itself or one of its descendants", async () => {
    const top = await newTask(h.ctx);
    const mid = await newTask(h.ctx, { dependencies: { parent_task: top.id } });
    const leaf = await newTask(h.ctx, { dependencies: { parent_task: mid.id } });
    await expectDomainError(setParentTask(h.ctx, top.id, top.id, OPERATOR), "DEPENDENCY_CONFLICT");
    await expectDomainError(setParentTask(h.ctx, top.id, leaf.id, OPERATOR), "DEPENDENCY_CONFLICT");
    const moved = await setParentTask(h.ctx, leaf.id, top.id, OPERATOR);
    expect(moved.parentTaskId).toBe(top.id);
    const detached = await setParentTask(h.ctx, leaf.id, null, OPERATOR);
    expect(detached.parentTaskId).toBeNull();
  });
});
