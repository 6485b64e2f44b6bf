import { describe, expect, it } from "vitest";
import { isRevertible, TRANSITIONS } from "@/lib/transitions";
import { DEPENDENCY_CONFLICT_REASON } from "../escalation/dependency-conflicts";
import { blockTask, holdTask, unblockTask } from "./blocker-handler";
import { completeTask, failTask, scheduleTask, startTask } from "./lifecycle";
import { cancelTask, revertLastTransition } from "./rollback-manager";
import {
  ADMIN,
  EXECUTOR,
  expectDomainError,
  historyOf,
  MANAGER,
  newTask,
  OPERATOR,
  SYSTEM,
  setupEngine,
} from "./test-support";

const h = setupEngine();

describe("cancelTask", () => {
  it("cancels with a reason; dependents are not cancelled but each gets one dependency-conflict escalation", async () => {
    const blocker = await newTask(h.ctx);
    const waiting = await newTask(h.ctx, { dependencies: { blocked_by: [blocker.id] } });
    const held = await newTask(h.ctx, { dependencies: { blocked_by: [blocker.id] } });
    await holdTask(h.ctx, held.id, OPERATOR);
    const other = await newTask(h.ctx);
    const finished = await newTask(h.ctx, { dependencies: { blocked_by: [other.id] } });
    await cancelTask(h.ctx, finished.id, MANAGER, { reason: "dup" });
    await h.ctx.prisma.taskDependency.create({
      data: { blockerId: blocker.id, dependentId: finished.id, createdAt: h.clock.now() },
    });

    const result = await cancelTask(h.ctx, blocker.id, MANAGER, { reason: "Client withdrew" });
    expect(result.task.state).toBe("CANCELLED");
    expect(result.conflicts.map((c) => [c.dependentId, c.kind])).toEqual(
      [waiting.id, held.id].sort().map((id) => [id, "blocker_cancelled"]),
    );
    for (const id of [waiting.id, held.id]) {
      expect((await h.ctx.prisma.task.findUniqueOrThrow({ where: { id } })).state).not.toBe("CANCELLED");
      const escalation = await h.ctx.prisma.escalation.findFirstOrThrow({ where: { taskId: id } });
      expect(escalation).toMatchObject({
        reason: DEPENDENCY_CONFLICT_REASON,
        status: "OPEN",
        openKey: `${id}:${DEPENDENCY_CONFLICT_REASON}`,
        context: { blocker: blocker.id, blocker_state: "CANCELLED", conflict: "blocker_cancelled" },
      });
    }
    expect(await h.ctx.prisma.escalation.count({ where: { taskId: finished.id } })).toBe(0);
    const events = await h.ctx.prisma.event.count({
      where: { type: "escalation.raised", taskId: waiting.id },
    });
    expect(events).toBe(1);
  });

  it("does not duplicate an open conflict for the same dependent", async () => {
    const a = await newTask(h.ctx);
    const b = await newTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [a.id, b.id] } });
    await cancelTask(h.ctx, a.id, MANAGER, { reason: "x" });
    const second = await cancelTask(h.ctx, b.id, MANAGER, { reason: "y" });
    expect(second.conflicts).toEqual([
      { dependentId: dependent.id, blockerId: b.id, kind: "blocker_cancelled", escalationId: null },
    ]);
    expect(await h.ctx.prisma.escalation.count({ where: { taskId: dependent.id } })).toBe(1);
  });

  it("records a conflict when a blocker fails for good, not on a retryable failure", async () => {
    const blocker = await newTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [blocker.id] } });
    await scheduleTask(h.ctx, blocker.id, SYSTEM);
    await startTask(h.ctx, blocker.id, EXECUTOR);
    expect((await failTask(h.ctx, blocker.id, EXECUTOR, { error: "timeout" })).conflicts).toEqual([]);
    await startTask(h.ctx, blocker.id, SYSTEM);
    const final = await failTask(h.ctx, blocker.id, SYSTEM, { error: "3 retries failed", final: true });
    expect(final.conflicts.map((c) => [c.dependentId, c.kind])).toEqual([[dependent.id, "blocker_failed"]]);
    expect(final.task.lastError).toBe("3 retries failed");
  });
});

describe("revertLastTransition", () => {
  it("reverts a cancel made in error as a new audited transition, history kept", async () => {
    const task = await newTask(h.ctx);
    const { task: cancelled } = await cancelTask(h.ctx, task.id, MANAGER, { reason: "wrong task" });
    const { task: back } = await revertLastTransition(h.ctx, task.id, OPERATOR, {
      expectedVersion: cancelled.version,
      reason: "Cancelled the wrong task",
    });
    expect([back.state, back.previousState, back.version]).toEqual([
      "QUEUED",
      "CANCELLED",
      cancelled.version + 1,
    ]);
    expect((await historyOf(h.ctx, task.id)).map((r) => r.state)).toEqual([
      "CREATED",
      "QUEUED",
      "CANCELLED",
      "QUEUED",
    ]);
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: task.id },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({
      action: "task.reverted",
      fromState: "CANCELLED",
      toState: "QUEUED",
      reason: "Cancelled the wrong task",
      actor: OPERATOR.id,
    });
  });

  it("restores the blocker reason when reverting an unblock", async () => {
    const task = await newTask(h.ctx);
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await startTask(h.ctx, task.id, EXECUTOR);
    const since = h.clock.now();
    await blockTask(h.ctx, task.id, EXECUTOR, { reason: "Attente validation client" });
    h.clock.advanceHours(1);
    await unblockTask(h.ctx, task.id, MANAGER);
    const { task: back } = await revertLastTransition(h.ctx, task.id, ADMIN);
    expect([back.state, back.blockerReason, back.blockedSince]).toEqual([
      "BLOCKED",
      "Attente validation client",
      since,
    ]);
  });

  it("refuses a revert of a revert, of a start, of a completion, and of creation", async () => {
    const task = await newTask(h.ctx);
    await expectDomainError(revertLastTransition(h.ctx, task.id, OPERATOR), "ILLEGAL_TRANSITION");
    await holdTask(h.ctx, task.id, OPERATOR);
    await revertLastTransition(h.ctx, task.id, OPERATOR);
    await expectDomainError(revertLastTransition(h.ctx, task.id, OPERATOR), "CONFLICT");
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await startTask(h.ctx, task.id, EXECUTOR);
    await expectDomainError(revertLastTransition(h.ctx, task.id, OPERATOR), "ILLEGAL_TRANSITION");
    await completeTask(h.ctx, task.id, EXECUTOR);
    const err = await expectDomainError(revertLastTransition(h.ctx, task.id, OPERATOR), "ILLEGAL_TRANSITION");
    expect(err.message).toContain("IN_PROGRESS → COMPLETED cannot be reverted");
  });

  it("is for people only, and checks the version", async () => {
    const task = await newTask(h.ctx);
    const { task: held } = await holdTask(h.ctx, task.id, OPERATOR);
    await expectDomainError(revertLastTransition(h.ctx, task.id, SYSTEM), "FORBIDDEN");
    await expectDomainError(revertLastTransition(h.ctx, task.id, EXECUTOR), "FORBIDDEN");
    await expectDomainError(
      revertLastTransition(h.ctx, task.id, MANAGER, { expectedVersion: task.version }),
      "STALE_VERSION",
    );
    expect(
      (await revertLastTransition(h.ctx, task.id, MANAGER, { expectedVersion: held.version })).task.state,
    ).toBe("QUEUED");
  });

  it("refuses to revert into SCHEDULED while a blocker is unfinished", async () => {
    const task = await newTask(h.ctx);
    await scheduleTask(h.ctx, task.id, SYSTEM);
    const { task: back } = await revertLastTransition(h.ctx, task.id, OPERATOR); // SCHEDULED → QUEUED
    expect(back.state).toBe("QUEUED");
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await cancelTask(h.ctx, task.id, MANAGER, { reason: "x" });
    const blocker = await newTask(h.ctx);
    await h.ctx.prisma.taskDependency.create({
      data: { blockerId: blocker.id, dependentId: task.id, createdAt: h.clock.now() },
    });
    await expectDomainError(revertLastTransition(h.ctx, task.id, OPERATOR), "CONFLICT");
  });

  it("defines revertible transitions: never CREATED, IN_PROGRESS or COMPLETED involved", () => {
    const revertible = TRANSITIONS.filter((t) => isRevertible(t.from, t.to)).map((t) => `${t.from}>${t.to}`);
    expect(revertible).toEqual([
      "QUEUED>ON_HOLD",
      "QUEUED>SCHEDULED",
      "QUEUED>CANCELLED",
      "ON_HOLD>QUEUED",
      "ON_HOLD>CANCELLED",
      "SCHEDULED>QUEUED",
      "SCHEDULED>CANCELLED",
      "FAILED>CANCELLED",
      "BLOCKED>UNBLOCKED",
      "BLOCKED>CANCELLED",
      "UNBLOCKED>CANCELLED",
    ]);
  });
});
