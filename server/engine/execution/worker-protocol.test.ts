import { beforeEach, describe, expect, it } from "vitest";
import { transitionTask } from "../state/state-controller";
import { expectDomainError, historyOf, MANAGER, newTask, OPERATOR, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { sweepExpiredLeases } from "./lease-sweep";
import { DEFAULT_LEASE_MS, LEASE_EXPIRED_ERROR, workerErrorCode } from "./leases";
import { resetTasks } from "./testing/support";
import { blockWork, claimTasks, completeWork, failWork, heartbeat } from "./worker-protocol";

const h = setupEngine({ poolSize: 8 });

beforeEach(async () => {
  await resetTasks(h.ctx);
});

async function scheduled(skill: string, extra: Parameters<typeof newTask>[1] = {}) {
  const task = await newTask(h.ctx, {
    queue: { name: "normal" },
    definition: { title: `${skill} work`, type: "development", skill_target: skill },
    ...extra,
  });
  await dispatchOnce(h.ctx);
  return task;
}

async function expectWorkerError(promise: Promise<unknown>, code: string) {
  const error = await expectDomainError(promise, "CONFLICT");
  expect(workerErrorCode(error), error.message).toBe(code);
  return error;
}

describe("claim", () => {
  it("gives a worker the SCHEDULED tasks of its skills under a lease", async () => {
    const backend = await scheduled("backend");
    await scheduled("devops");
    const at = h.clock.now();
    const { tasks, leaseExpiresAt } = await claimTasks(h.ctx, {
      workerId: "w-1",
      skills: ["backend", "frontend"],
      max: 5,
    });
    expect(tasks.map((t) => t.id)).toEqual([backend.id]);
    const [task] = tasks;
    expect(task).toMatchObject({
      state: "IN_PROGRESS",
      leaseOwner: "w-1",
      assignedTo: "w-1",
      startedAt: at,
      currentStep: "implementation",
    });
    expect(task!.leaseExpiresAt?.getTime()).toBe(at.getTime() + DEFAULT_LEASE_MS);
    expect(leaseExpiresAt.getTime()).toBe(at.getTime() + DEFAULT_LEASE_MS);
    expect((await historyOf(h.ctx, backend.id)).at(-1)).toMatchObject({
      fromState: "SCHEDULED",
      state: "IN_PROGRESS",
      actor: "worker:w-1",
    });
    expect((await claimTasks(h.ctx, { workerId: "w-2", skills: ["backend"] })).tasks).toEqual([]);
  });

  it("never gives one task to two workers claiming at once", async () => {
    for (let i = 0; i < 12; i++)
      await newTask(h.ctx, {
        queue: { name: "normal" },
        definition: { title: `t${i}`, skill_target: "backend" },
      });
    await dispatchOnce(h.ctx);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        claimTasks(h.ctx, { workerId: `w${i}`, skills: ["backend"], max: 3 }),
      ),
    );
    const ids = results.flatMap((r) => r.tasks.map((t) => t.id));
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it("refuses a claim without a worker id or skills", async () => {
    const noId = await expectDomainError(claimTasks(h.ctx, { workerId: " ", skills: ["x"] }), "VALIDATION");
    expect(noId.details.fields?.[0]?.path).toBe("worker_id");
    const noSkill = await expectDomainError(claimTasks(h.ctx, { workerId: "w", skills: [] }), "VALIDATION");
    expect(noSkill.details.fields?.[0]?.path).toBe("skills");
  });
});

describe("heartbeat", () => {
  it("extends the lease and records progress and the workflow step", async () => {
    const task = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    h.clock.advance(30_000);
    const beat = await heartbeat(h.ctx, task.id, "w", { progressPercent: 40, currentStep: "code_review" });
    expect(beat.leaseExpiresAt?.getTime()).toBe(h.clock.now().getTime() + DEFAULT_LEASE_MS);
    expect([beat.progressPercent, beat.currentStep]).toEqual([40, "code_review"]);
    const audit = await h.ctx.prisma.auditLog.findFirst({
      where: { taskId: task.id },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({ action: "task.progress", actor: "worker:w" });
    expect(audit?.details).toMatchObject({ progress_percent: 40, current_step: "code_review" });
  });

  it("refuses progress outside 0-100 and an unknown step, naming the field, changing nothing", async () => {
    const task = await scheduled("backend");
    const [claimed] = (await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] })).tasks;
    for (const bad of [-1, 101, 12.5]) {
      const error = await expectDomainError(
        heartbeat(h.ctx, task.id, "w", { progressPercent: bad }),
        "VALIDATION",
      );
      expect(error.details.fields).toEqual([
        { path: "progress_percent", message: "An integer from 0 to 100" },
      ]);
    }
    const step = await expectDomainError(
      heartbeat(h.ctx, task.id, "w", { currentStep: "dancing" }),
      "VALIDATION",
    );
    expect(step.details.fields?.[0]?.path).toBe("current_step");
    const after = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(after.version).toBe(claimed!.version);
  });

  it("refuses a worker that does not hold the lease, a lease that ran out, and a finished task", async () => {
    const task = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    await expectWorkerError(heartbeat(h.ctx, task.id, "intruder", { progressPercent: 5 }), "LEASE_NOT_HELD");
    await expectWorkerError(completeWork(h.ctx, task.id, "intruder"), "LEASE_NOT_HELD");
    await expectWorkerError(
      failWork(h.ctx, task.id, "intruder", { error: "x", recoverable: true }),
      "LEASE_NOT_HELD",
    );

    // The lease ran out: refused before the sweep, and after it (the task went to retry).
    h.clock.advance(DEFAULT_LEASE_MS + 1);
    await expectWorkerError(heartbeat(h.ctx, task.id, "w"), "LEASE_EXPIRED");
    await expectWorkerError(completeWork(h.ctx, task.id, "w"), "LEASE_EXPIRED");
    expect((await sweepExpiredLeases(h.ctx)).expired).toEqual([task.id]);
    await expectWorkerError(heartbeat(h.ctx, task.id, "w"), "LEASE_EXPIRED");

    const other = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    await completeWork(h.ctx, other.id, "w");
    await expectWorkerError(heartbeat(h.ctx, other.id, "w", { progressPercent: 100 }), "TASK_FINISHED");
    await expectWorkerError(completeWork(h.ctx, other.id, "w"), "TASK_FINISHED");
  });

  it("answers TASK_FINISHED for a task cancelled under the worker", async () => {
    const task = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    await transitionTask(h.ctx, task.id, "CANCELLED", MANAGER, { reason: "client withdrew" });
    await expectWorkerError(heartbeat(h.ctx, task.id, "w"), "TASK_FINISHED");
  });
});

describe("a lease taken away by someone else", () => {
  it("ends when an operator blocks the task; the worker gets LEASE_REVOKED, also once it runs again unleased", async () => {
    const task = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    const { task: blocked } = await transitionTask(h.ctx, task.id, "BLOCKED", OPERATOR, {
      reason: "Client asked to pause",
    });
    expect(blocked).toMatchObject({ state: "BLOCKED", leaseOwner: "w", leaseExpiresAt: null });
    const revoked = await expectWorkerError(
      heartbeat(h.ctx, task.id, "w", { progressPercent: 40 }),
      "LEASE_REVOKED",
    );
    expect(revoked.message).toContain("user:olivia");
    await expectWorkerError(completeWork(h.ctx, task.id, "w"), "LEASE_REVOKED");
    await expectWorkerError(blockWork(h.ctx, task.id, "w", "again"), "LEASE_REVOKED");

    // Unblocked and resumed by the operator: running again, unleased, claimable — the old
    // lease does not come back, and no sweep fails the task for it.
    await transitionTask(h.ctx, task.id, "UNBLOCKED", OPERATOR);
    const { task: resumed } = await transitionTask(h.ctx, task.id, "IN_PROGRESS", OPERATOR);
    expect(resumed).toMatchObject({ state: "IN_PROGRESS", leaseExpiresAt: null });
    await expectWorkerError(heartbeat(h.ctx, task.id, "w"), "LEASE_REVOKED");
    h.clock.advance(DEFAULT_LEASE_MS * 2);
    expect((await sweepExpiredLeases(h.ctx)).expired).toEqual([]);
    const { tasks } = await claimTasks(h.ctx, { workerId: "w2", skills: ["backend"] });
    expect(tasks.map((t) => t.id)).toEqual([task.id]);
    await expectWorkerError(heartbeat(h.ctx, task.id, "w"), "LEASE_NOT_HELD");
    expect((await heartbeat(h.ctx, task.id, "w2", { progressPercent: 60 })).progressPercent).toBe(60);
  });

  it("ends when an operator fails the task or a manager cancels it", async () => {
    const failed = await scheduled("backend");
    const cancelled = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"], max: 2 });
    const { task } = await transitionTask(h.ctx, failed.id, "FAILED", OPERATOR, { reason: "wrong brief" });
    expect(task.leaseExpiresAt).toBeNull();
    await expectWorkerError(
      failWork(h.ctx, failed.id, "w", { error: "x", recoverable: true }),
      "LEASE_REVOKED",
    );
    await transitionTask(h.ctx, cancelled.id, "CANCELLED", MANAGER, { reason: "client withdrew" });
    expect(
      (await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: cancelled.id } })).leaseExpiresAt,
    ).toBeNull();
    await expectWorkerError(completeWork(h.ctx, cancelled.id, "w"), "TASK_FINISHED");
  });

  it("a task an operator starts now runs unleased until a worker of its skill claims it", async () => {
    const task = await newTask(h.ctx, {
      queue: { name: "normal" },
      definition: { title: "urgent fix", type: "development", skill_target: "backend" },
    });
    await transitionTask(h.ctx, task.id, "ON_HOLD", OPERATOR);
    const { task: started } = await transitionTask(h.ctx, task.id, "IN_PROGRESS", OPERATOR);
    expect(started).toMatchObject({ state: "IN_PROGRESS", leaseOwner: null, leaseExpiresAt: null });
    expect((await claimTasks(h.ctx, { workerId: "f", skills: ["frontend"] })).tasks).toEqual([]);
    const { tasks } = await claimTasks(h.ctx, { workerId: "b", skills: ["backend"] });
    expect(tasks[0]).toMatchObject({ id: task.id, state: "IN_PROGRESS", leaseOwner: "b" });
    expect(tasks[0]!.leaseExpiresAt).not.toBeNull();
  });
});

describe("complete, fail, block", () => {
  it("completes with the output, ends the lease and releases dependents", async () => {
    const task = await scheduled("backend");
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [task.id] } });
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    const outcome = await completeWork(h.ctx, task.id, "w", {
      deliverables: ["https://git.example/pr/12"],
      notes: ["Refactored the cart"],
      next_actions: [{ action: "deploy", owner: "devops" }],
    });
    expect(outcome.task).toMatchObject({ state: "COMPLETED", progressPercent: 100, leaseExpiresAt: null });
    expect([outcome.task.deliverables, outcome.task.notes, outcome.task.nextActions]).toEqual([
      ["https://git.example/pr/12"],
      ["Refactored the cart"],
      [{ action: "deploy", owner: "devops" }],
    ]);
    expect(outcome.unblocked).toEqual([dependent.id]);
  });

  it("fails with a recoverable error: FAILED with last_error and a retry time, lease ended", async () => {
    const task = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    const outcome = await failWork(
      h.ctx,
      task.id,
      "w",
      { error: "API timeout", recoverable: true },
      { random: () => 0.5 },
    );
    expect(outcome.result.task).toMatchObject({
      state: "FAILED",
      lastError: "API timeout",
      leaseExpiresAt: null,
    });
    expect(outcome.nextRetryAt?.getTime()).toBe(h.clock.now().getTime() + 30_000);
    expect(outcome.gaveUp).toBeNull();
    const error = await expectDomainError(
      failWork(h.ctx, task.id, "w", { error: " ", recoverable: true }),
      "VALIDATION",
    );
    expect(error.details.fields?.[0]?.path).toBe("error");
  });

  it("blocks with a reason; the lease ends and the worker can no longer heartbeat", async () => {
    const task = await scheduled("backend");
    await claimTasks(h.ctx, { workerId: "w", skills: ["backend"] });
    const blocked = await blockWork(h.ctx, task.id, "w", "Attente validation client");
    expect(blocked).toMatchObject({
      state: "BLOCKED",
      blockerReason: "Attente validation client",
      leaseExpiresAt: null,
    });
    await expectWorkerError(heartbeat(h.ctx, task.id, "w"), "TASK_NOT_RUNNING");
    expect(LEASE_EXPIRED_ERROR).toContain("lease expired");
  });
});

describe("a lease belongs to the credential that claimed it", () => {
  it("refuses another key sending the holder's worker_id with LEASE_NOT_HELD, and lets the holder finish", async () => {
    const task = await scheduled("backend");
    const holder = { workerId: "w-shared", credential: "api_key:key-a" };
    const impostor = { workerId: "w-shared", credential: "api_key:key-b" };
    const { tasks } = await claimTasks(h.ctx, { ...holder, skills: ["backend"] });
    expect(tasks.map((t) => t.id)).toEqual([task.id]);
    expect(tasks[0]?.leaseCredential).toBe("api_key:key-a");

    await expectWorkerError(heartbeat(h.ctx, task.id, impostor, { progressPercent: 50 }), "LEASE_NOT_HELD");
    await expectWorkerError(completeWork(h.ctx, task.id, impostor), "LEASE_NOT_HELD");
    await expectWorkerError(
      failWork(h.ctx, task.id, impostor, { error: "x", recoverable: true }),
      "LEASE_NOT_HELD",
    );
    await expectWorkerError(blockWork(h.ctx, task.id, impostor, "x"), "LEASE_NOT_HELD");
    // The bare worker id (no credential) is no better than another key's.
    await expectWorkerError(completeWork(h.ctx, task.id, "w-shared"), "LEASE_NOT_HELD");

    await heartbeat(h.ctx, task.id, holder, { progressPercent: 50 });
    const done = await completeWork(h.ctx, task.id, holder);
    expect(done.task.state).toBe("COMPLETED");
  });
});
