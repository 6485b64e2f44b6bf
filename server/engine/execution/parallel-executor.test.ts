import { beforeEach, describe, expect, it } from "vitest";
import { unblockTask } from "../state/blocker-handler";
import { completeTask, startTask } from "../state/lifecycle";
import { historyOf, MANAGER, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { AWAITING_SUBTASKS } from "./leases";
import { completeReadyParents } from "./parallel-executor";
import { resetTasks } from "./testing/support";
import { claimTasks, completeWork, failWork } from "./worker-protocol";

const h = setupEngine({ poolSize: 8 });

beforeEach(async () => {
  await resetTasks(h.ctx);
});

const load = (id: string) => h.ctx.prisma.task.findUniqueOrThrow({ where: { id } });

/** A parent (skill "pm") with `n` subtasks (skill "dev"), all dispatched and claimed. */
async function family(n: number) {
  const parent = await newTask(h.ctx, {
    queue: { name: "high_priority" },
    definition: { title: "Refonte", skill_target: "pm" },
  });
  const subtasks = [];
  for (let i = 0; i < n; i++) {
    subtasks.push(
      await newTask(h.ctx, {
        queue: { name: "high_priority" },
        definition: { title: `Lot ${i}`, skill_target: "dev" },
        dependencies: { parent_task: parent.id },
      }),
    );
  }
  await dispatchOnce(h.ctx);
  await claimTasks(h.ctx, { workerId: "pm-1", skills: ["pm"] });
  // Subtasks run in parallel: each to its own worker.
  for (let i = 0; i < n; i++) await claimTasks(h.ctx, { workerId: `dev-${i}`, skills: ["dev"] });
  for (const s of subtasks) expect((await load(s.id)).state).toBe("IN_PROGRESS");
  return { parent, subtasks };
}

describe("parent and subtasks", () => {
  it("parks a parent whose executor finished first, and completes it with its last subtask", async () => {
    const { parent, subtasks } = await family(3);
    const parked = await completeWork(h.ctx, parent.id, "pm-1", { notes: ["Plan de lots validé"] });
    expect([parked.parked, parked.pendingSubtasks]).toEqual([true, subtasks.map((s) => s.id)]);
    expect(parked.task).toMatchObject({
      state: "IN_PROGRESS",
      leaseOwner: AWAITING_SUBTASKS,
      leaseExpiresAt: null,
      notes: ["Plan de lots validé"],
    });
    // Parked: not claimable, not expirable.
    expect((await claimTasks(h.ctx, { workerId: "any", skills: ["*"] })).tasks).toEqual([]);

    await completeWork(h.ctx, subtasks[0]!.id, "dev-0");
    await completeWork(h.ctx, subtasks[1]!.id, "dev-1");
    expect((await load(parent.id)).state).toBe("IN_PROGRESS");
    const last = await completeWork(h.ctx, subtasks[2]!.id, "dev-2");
    expect(last.completedParents).toEqual([parent.id]);
    const done = await load(parent.id);
    expect(done.state).toBe("COMPLETED");
    expect(done.completedAt).toEqual(last.task.completedAt);
    expect((await historyOf(h.ctx, parent.id)).at(-1)).toMatchObject({
      state: "COMPLETED",
      reason: "all subtasks completed",
    });
  });

  it("completes the parent when the last two subtasks complete at the same time", async () => {
    for (let round = 0; round < 3; round++) {
      const { parent, subtasks } = await family(2);
      await completeWork(h.ctx, parent.id, "pm-1");
      await Promise.all(subtasks.map((s, i) => completeWork(h.ctx, s.id, `dev-${i}`)));
      expect((await load(parent.id)).state).toBe("COMPLETED");
      await resetTasks(h.ctx);
    }
  });

  it("completes the parent through its executor when the subtasks were done first", async () => {
    const { parent, subtasks } = await family(2);
    for (const [i, s] of subtasks.entries()) await completeWork(h.ctx, s.id, `dev-${i}`);
    expect((await load(parent.id)).state).toBe("IN_PROGRESS");
    const outcome = await completeWork(h.ctx, parent.id, "pm-1");
    expect([outcome.parked, outcome.task.state]).toEqual([false, "COMPLETED"]);
  });

  it("blocks a running parent when a subtask fails for good; completes it once the subtask is redone and it is unblocked", async () => {
    const { parent, subtasks } = await family(2);
    await completeWork(h.ctx, parent.id, "pm-1");
    await completeWork(h.ctx, subtasks[0]!.id, "dev-0");
    const failed = await failWork(h.ctx, subtasks[1]!.id, "dev-1", {
      error: "Spec contradictoire",
      recoverable: false,
    });
    expect(failed.blockedParent).toBe(parent.id);
    const blocked = await load(parent.id);
    expect([blocked.state, blocked.blockerReason]).toEqual([
      "BLOCKED",
      `Subtask ${subtasks[1]!.id} failed: Spec contradictoire`,
    ]);

    // A human retries the subtask (FAILED → IN_PROGRESS), a worker redoes it.
    await startTask(h.ctx, subtasks[1]!.id, MANAGER);
    await claimTasks(h.ctx, { workerId: "dev-9", skills: ["dev"] });
    await completeWork(h.ctx, subtasks[1]!.id, "dev-9");
    expect((await load(parent.id)).state).toBe("BLOCKED");
    // Unblocked, the dispatcher resumes it — still parked — and it completes at once.
    await unblockTask(h.ctx, parent.id, MANAGER);
    const round = await dispatchOnce(h.ctx);
    expect(round.restarted).toEqual([parent.id]);
    expect((await load(parent.id)).state).toBe("COMPLETED");
  });

  it("sweeps up a parked parent whose last subtask was completed by another path", async () => {
    const { parent, subtasks } = await family(1);
    await completeWork(h.ctx, parent.id, "pm-1");
    await completeTask(h.ctx, subtasks[0]!.id, SYSTEM);
    expect((await load(parent.id)).state).toBe("IN_PROGRESS");
    expect(await completeReadyParents(h.ctx)).toEqual([parent.id]);
    expect((await load(parent.id)).state).toBe("COMPLETED");
  });
});
