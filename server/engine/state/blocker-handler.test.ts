import { describe, expect, it } from "vitest";
import { blockTask, holdTask, releaseTask, resumeTask, unblockTask } from "./blocker-handler";
import { scheduleTask, startTask } from "./lifecycle";
import { EXECUTOR, expectDomainError, MANAGER, newTask, OPERATOR, SYSTEM, setupEngine } from "./test-support";

const h = setupEngine();

async function running() {
  const task = await newTask(h.ctx);
  await scheduleTask(h.ctx, task.id, SYSTEM);
  return (await startTask(h.ctx, task.id, EXECUTOR)).task;
}

describe("blocker-handler", () => {
  it("blocks with a reason and a time, unblocks clearing them, then resumes", async () => {
    const task = await running();
    const { task: blocked } = await blockTask(h.ctx, task.id, EXECUTOR, {
      reason: "Attente validation client",
      expectedVersion: task.version,
    });
    expect([blocked.state, blocked.blockerReason, blocked.blockedSince?.toISOString()]).toEqual([
      "BLOCKED",
      "Attente validation client",
      h.clock.now().toISOString(),
    ]);
    h.clock.advanceHours(2);
    const { task: unblocked } = await unblockTask(h.ctx, task.id, MANAGER, {
      expectedVersion: blocked.version,
    });
    expect([unblocked.state, unblocked.blockerReason, unblocked.blockedSince]).toEqual([
      "UNBLOCKED",
      null,
      null,
    ]);
    const { task: resumed } = await resumeTask(h.ctx, task.id, SYSTEM);
    expect(resumed.state).toBe("IN_PROGRESS");
    expect(resumed.startedAt).toEqual(task.startedAt);
  });

  it("holds a waiting task and releases it to its old place", async () => {
    const task = await newTask(h.ctx);
    const { task: held } = await holdTask(h.ctx, task.id, OPERATOR);
    expect(held.state).toBe("ON_HOLD");
    const { task: back } = await releaseTask(h.ctx, task.id, MANAGER);
    expect([back.state, back.queueEnteredAt, back.slaDeadline]).toEqual([
      "QUEUED",
      task.queueEnteredAt,
      task.slaDeadline,
    ]);
  });

  it("refuses what the table does not allow", async () => {
    const task = await newTask(h.ctx);
    await expectDomainError(blockTask(h.ctx, task.id, OPERATOR, { reason: "x" }), "ILLEGAL_TRANSITION");
    await expectDomainError(unblockTask(h.ctx, task.id, OPERATOR), "ILLEGAL_TRANSITION");
    await expectDomainError(releaseTask(h.ctx, task.id, OPERATOR), "ILLEGAL_TRANSITION");
    await expectDomainError(holdTask(h.ctx, task.id, EXECUTOR), "FORBIDDEN");
  });
});
