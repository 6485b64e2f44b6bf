import { beforeEach, describe, expect, it } from "vitest";
import { moveTask } from "../queue/queue-manager";
import { unblockTask } from "../state/blocker-handler";
import { addDependency, removeDependency } from "../state/dependencies";
import { completeTask, failTask, scheduleTask, startTask } from "../state/lifecycle";
import { cancelTask } from "../state/rollback-manager";
import { transitionTask } from "../state/state-controller";
import { EXECUTOR, MANAGER, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { resolveStaleEscalations } from "./auto-resolve";
import { followTaskChanges } from "./follow-changes";
import { loadEscalationView } from "./presenter";
import { escalateUnrecoverable } from "./rules";
import { runEscalationSweeps } from "./sweeps";
import { blockedTask, escalationsOf, resetTables, runningTask } from "./test-helpers";

// "SLA breach imminent" means something, and escalations stay true (issue 11, items 3 and 4),
// on real PostgreSQL with the fake clock.

const h = setupEngine();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sweep = () => runEscalationSweeps(h.ctx);
const autoResolve = (taskIds?: string[]) =>
  inTransaction(h.ctx, (tx, at) => resolveStaleEscalations(tx, at, { taskIds }));

beforeEach(async () => {
  await resetTables(h.ctx);
});

const critical = (hours?: number) =>
  newTask(h.ctx, {
    queue: { name: "critical" }, // SLA 1 h, capacity 3
    ...(hours ? { execution: { estimated_duration_hours: hours } } : {}),
  });

describe("SLA breach imminent", () => {
  it("a 1 h-SLA task with free capacity and a short estimate raises none, all the way through", async () => {
    const task = await critical(0.25); // 15 min
    for (const minutes of [1, 4]) {
      h.clock.advance(minutes * MINUTE);
      expect((await sweep()).raised).toBe(0); // waiting, but a free slot: finishes at ~20 min
    }
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await startTask(h.ctx, task.id, EXECUTOR);
    for (const minutes of [5, 10, 12]) {
      h.clock.advance(minutes * MINUTE);
      expect((await sweep()).raised).toBe(0); // running, forecast to finish well before 60 min
    }
    await completeTask(h.ctx, task.id, EXECUTOR);
    h.clock.advanceHours(2);
    expect((await sweep()).raised).toBe(0);
    expect(await escalationsOf(h.ctx, task.id)).toEqual([]);
  });

  it("one forecast to miss raises once, then becomes breached at the deadline (one escalation, history kept)", async () => {
    const task = await critical(2); // a 2 h estimate cannot fit a 1 h SLA
    h.clock.advance(MINUTE);
    expect(await sweep()).toMatchObject({ raised: 1, byReason: { sla_breach_imminent: 1 } });
    const [imminent] = await escalationsOf(h.ctx, task.id);
    expect(imminent).toMatchObject({
      reason: "sla_breach_imminent",
      deadline: task.slaDeadline,
      context: {
        sla_deadline: task.slaDeadline!.toISOString(),
        remaining_minutes: 59,
        forecast_finish: new Date(h.clock.now().getTime() + 2 * HOUR).toISOString(),
      },
    });
    // Acknowledged by someone: the breach reopens it.
    await h.ctx.prisma.escalation.update({
      where: { id: imminent!.id },
      data: { status: "ACKNOWLEDGED", assignee: MANAGER.id },
    });
    for (const minutes of [10, 20, 28]) {
      h.clock.advance(minutes * MINUTE);
      expect(await sweep()).toMatchObject({ raised: 0, upgraded: 0 });
    }
    h.clock.advance(MINUTE); // the deadline
    expect(await sweep()).toMatchObject({ raised: 0, upgraded: 1 });
    h.clock.advance(30 * MINUTE);
    expect(await sweep()).toMatchObject({ raised: 0, upgraded: 0 });

    const all = await escalationsOf(h.ctx, task.id);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: imminent!.id,
      reason: "sla_breached",
      status: "OPEN",
      assignee: MANAGER.id,
      urgency: "critical",
      escalatedTo: "account_manager",
      openKey: `${task.id}:sla_breached`,
      deadline: new Date(task.slaDeadline!.getTime() + HOUR),
      context: { remaining_minutes: 59, breached_at: task.slaDeadline!.toISOString() },
    });
    const audit = await h.ctx.prisma.auditLog.findMany({
      where: { taskId: task.id, action: { startsWith: "escalation." } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["escalation.raised", "escalation.upgraded"]);
    expect(audit[1]?.details).toMatchObject({
      from_reason: "sla_breach_imminent",
      to_reason: "sla_breached",
    });

    // The live context reads the task now; the raise-time one is kept "at the time".
    const view = await loadEscalationView(h.ctx.prisma, imminent!.id, h.clock.now());
    expect(view?.escalation.context).toMatchObject({ current_state: "QUEUED", overdue_minutes: 30 });
    expect(view?.escalation.context).not.toHaveProperty("remaining_minutes");
    expect(view?.context_at_raise).toMatchObject({ remaining_minutes: 59, current_state: "QUEUED" });
  });

  it("counts the work ahead: the 4th task of a full 3-slot queue is forecast to miss, the others not", async () => {
    const tasks = [];
    for (let i = 0; i < 4; i += 1) tasks.push(await critical(0.6));
    for (const t of tasks.slice(0, 3)) {
      await scheduleTask(h.ctx, t.id, SYSTEM);
      await startTask(h.ctx, t.id, EXECUTOR);
    }
    h.clock.advance(MINUTE);
    expect(await sweep()).toMatchObject({ raised: 1 });
    expect((await escalationsOf(h.ctx, tasks[3]!.id)).map((e) => e.reason)).toEqual(["sla_breach_imminent"]);
  });

  it("no two open escalations for one task and reason, even written around raiseEscalation", async () => {
    const task = await critical(2);
    h.clock.advance(MINUTE);
    await sweep();
    const [open] = await escalationsOf(h.ctx, task.id);
    await expect(
      h.ctx.prisma.escalation.create({
        data: { ...open!, id: "ESC-duplicate", openKey: null, context: {} },
      }),
    ).rejects.toThrow(/escalations_one_open_per_task_reason|Unique constraint/);
  });
});

describe("escalations resolve themselves when their cause goes away", () => {
  async function unrecoverable() {
    const task = await runningTask(h.ctx);
    const failed = (await failTask(h.ctx, task.id, SYSTEM, { error: "Access denied", final: true })).task;
    await inTransaction(h.ctx, (tx, at) => escalateUnrecoverable(tx, at, failed, "Access denied"));
    return failed;
  }

  it("completing the task resolves them, noting why", async () => {
    const task = await blockedTask(h.ctx, { queue: "backlog" });
    h.clock.advanceHours(24);
    await sweep();
    await unblockTask(h.ctx, task.id, MANAGER);
    await transitionTask(h.ctx, task.id, "IN_PROGRESS", SYSTEM);
    await completeTask(h.ctx, task.id, EXECUTOR);
    expect(await autoResolve([task.id])).toHaveLength(1);
    const [e] = await escalationsOf(h.ctx, task.id);
    expect([e?.status, e?.resolution, e?.resolvedBy]).toEqual([
      "RESOLVED",
      "Task completed: nothing left to decide",
      "task-orchestrator/escalation",
    ]);
  });

  it("retrying a failed task from the task page resolves its failure escalation", async () => {
    const task = await unrecoverable();
    expect(await autoResolve([task.id])).toEqual([]); // still FAILED: still true
    await transitionTask(h.ctx, task.id, "IN_PROGRESS", OPERATOR); // the task page's retry
    expect(await autoResolve([task.id])).toHaveLength(1);
    const [e] = await escalationsOf(h.ctx, task.id);
    expect(e).toMatchObject({
      status: "RESOLVED",
      openKey: null,
      resolution: "Task retried (now IN_PROGRESS): the failure no longer stands",
    });
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: task.id, action: "escalation.resolved" },
    });
    expect(audit.details).toMatchObject({ via: "cause_gone", task_state: "IN_PROGRESS" });
  });

  it("unblocking resolves the blocked escalation; cancelling resolves the rest", async () => {
    const unblocked = await blockedTask(h.ctx, { queue: "backlog" });
    const cancelled = await blockedTask(h.ctx, { queue: "backlog" });
    h.clock.advanceHours(24);
    expect((await sweep()).raised).toBe(2);
    await unblockTask(h.ctx, unblocked.id, MANAGER);
    await cancelTask(h.ctx, cancelled.id, MANAGER, { reason: "Client left" });
    expect(await autoResolve()).toHaveLength(2);
    const [a] = await escalationsOf(h.ctx, unblocked.id);
    const [b] = await escalationsOf(h.ctx, cancelled.id);
    expect([a?.resolution, b?.resolution]).toEqual([
      "Task unblocked (now UNBLOCKED)",
      "Task cancelled: nothing left to decide",
    ]);
  });

  it("removing the conflicting dependency resolves the dependency conflict", async () => {
    const blocker = await newTask(h.ctx, { queue: { name: "normal" } });
    const dependent = await newTask(h.ctx, { queue: { name: "normal" } });
    await addDependency(h.ctx, dependent.id, blocker.id, OPERATOR);
    await cancelTask(h.ctx, blocker.id, MANAGER, { reason: "Out of scope" });
    const [conflict] = await escalationsOf(h.ctx, dependent.id, "dependency_conflict");
    expect(conflict?.status).toBe("OPEN");
    expect(await autoResolve([dependent.id])).toEqual([]);
    await removeDependency(h.ctx, dependent.id, blocker.id, OPERATOR);
    expect(await autoResolve([dependent.id])).toEqual([conflict!.id]);
    const [after] = await escalationsOf(h.ctx, dependent.id, "dependency_conflict");
    expect(after?.resolution).toBe(`Dependency on ${blocker.id} removed`);
  });

  it("moving the deadline (a queue change) resolves the SLA escalation; the new deadline is judged afresh", async () => {
    const task = await critical(2);
    h.clock.advance(MINUTE);
    await sweep();
    const moved = await moveTask(h.ctx, task.id, OPERATOR, { queue: "normal" }); // SLA 24 h
    expect(await autoResolve([task.id])).toHaveLength(1);
    const [e] = await escalationsOf(h.ctx, task.id);
    expect(e?.resolution).toBe(`SLA deadline moved to ${moved.slaDeadline!.toISOString()}`);
    expect((await sweep()).raised).toBe(0);
  });

  it("the engine follows task changes: the follower resolves just after the change it hears", async () => {
    const task = await unrecoverable();
    const follower = followTaskChanges(h.ctx, { debounceMs: 1 });
    await transitionTask(h.ctx, task.id, "IN_PROGRESS", OPERATOR);
    const events = await h.ctx.prisma.event.findMany({
      where: { taskId: task.id },
      orderBy: { id: "desc" },
      take: 1,
    });
    follower.heard(
      events.map((e) => Number(e.id)),
      events.map((e) => e.type),
    );
    follower.heard([999_999], ["task.heartbeat"]); // nothing worth a look
    await follower.flush();
    follower.stop();
    const [e] = await escalationsOf(h.ctx, task.id);
    expect(e?.status).toBe("RESOLVED");
  });
});
