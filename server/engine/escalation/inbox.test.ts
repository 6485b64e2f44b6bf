import { beforeEach, describe, expect, it } from "vitest";
import type { EscalationReason } from "@/lib/escalations";
import type { EscalationActionInput } from "@/lib/schemas/escalations";
import type { Task } from "../../db/generated/client";
import type { Actor } from "../context";
import { setScore } from "../queue/priority-adjuster";
import {
  ADMIN,
  EXECUTOR,
  expectDomainError,
  MANAGER,
  newTask,
  OPERATOR,
  SYSTEM,
  setupEngine,
} from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { actOnEscalation } from "./inbox";
import { raiseEscalation } from "./raise";
import { blockedTask, escalationsOf, failedTask, resetTables } from "./test-helpers";
import { withinTransaction } from "./within-transaction";

const h = setupEngine();

beforeEach(async () => {
  await resetTables(h.ctx);
});

async function escalate(task: Task, reason: EscalationReason = "unrecoverable_error") {
  const { escalation } = await inTransaction(h.ctx, (tx, at) =>
    raiseEscalation(tx, at, { task, reason, context: { current_state: task.state } }, SYSTEM),
  );
  return escalation;
}

const act = (id: string, input: EscalationActionInput, actor: Actor = MANAGER) =>
  actOnEscalation(h.ctx, id, input, actor);
const load = (id: string) => h.ctx.prisma.escalation.findUniqueOrThrow({ where: { id } });
const loadTask = (id: string) => h.ctx.prisma.task.findUniqueOrThrow({ where: { id } });
const auditOf = (escalationId: string) =>
  h.ctx.prisma.auditLog
    .findMany({ where: { action: { startsWith: "escalation." } }, orderBy: { id: "asc" } })
    .then((rows) =>
      rows.filter((r) => (r.details as { escalation_id?: string }).escalation_id === escalationId),
    );
const eventsOf = (escalationId: string) =>
  h.ctx.prisma.event
    .findMany({ where: { type: { startsWith: "escalation." } }, orderBy: { id: "asc" } })
    .then((rows) =>
      rows.filter((r) => (r.payload as { escalation_id?: string }).escalation_id === escalationId),
    );

async function addUser(email: string, role: "admin" | "operator" | "account_manager" | "viewer") {
  const now = h.clock.now();
  return h.ctx.prisma.user.create({
    data: { id: `u-${email}`, email, name: email, role, passwordHash: "x", createdAt: now, updatedAt: now },
  });
}

describe("acknowledge and assign", () => {
  it("acknowledges: ACKNOWLEDGED, assigned to the caller, version + 1, audited and published", async () => {
    const task = await newTask(h.ctx);
    const escalation = await escalate(task);
    const view = await act(escalation.id, { action: "acknowledge", expected_version: 1 });
    expect(view).toMatchObject({
      id: escalation.id,
      status: "ACKNOWLEDGED",
      assignee: "user:marc",
      acknowledged_at: h.clock.now().toISOString(),
      version: 2,
      also_resolved: [],
      task: { id: task.id, state: "QUEUED", version: task.version },
    });
    const audit = await auditOf(escalation.id);
    expect(audit.map((a) => [a.action, a.actor, a.taskId])).toEqual([
      ["escalation.raised", SYSTEM.id, task.id],
      ["escalation.acknowledged", "user:marc", task.id],
    ]);
    expect(audit[1]?.details).toMatchObject({ escalation_version: 2, status: "ACKNOWLEDGED" });
    const events = await eventsOf(escalation.id);
    expect(events.map((e) => [e.type, e.taskId, e.version, e.payload])).toEqual([
      ["escalation.raised", task.id, null, expect.anything()],
      [
        "escalation.acknowledged",
        task.id,
        null,
        {
          escalation_id: escalation.id,
          escalation_version: 2,
          reason: "unrecoverable_error",
          status: "ACKNOWLEDGED",
        },
      ],
    ]);
    // Twice is a conflict: someone already has it.
    const error = await expectDomainError(act(escalation.id, { action: "acknowledge" }, ADMIN), "CONFLICT");
    expect(error.message).toContain("user:marc");
  });

  it("assigns to me, to a user by email or id; refuses unknown people and those who cannot act", async () => {
    const escalation = await escalate(await newTask(h.ctx));
    expect(await act(escalation.id, { action: "assign", assignee: "me" }, ADMIN)).toMatchObject({
      assignee: "user:root",
      status: "ACKNOWLEDGED",
      version: 2,
    });
    await addUser("claire@agence.fr", "account_manager");
    await addUser("victor@agence.fr", "viewer");
    expect(await act(escalation.id, { action: "assign", assignee: "Claire@Agence.fr" })).toMatchObject({
      assignee: "user:claire@agence.fr",
      version: 3,
    });
    await expectDomainError(
      act(escalation.id, { action: "assign", assignee: "u-claire@agence.fr" }),
      "CONFLICT",
    );
    const unknown = await expectDomainError(
      act(escalation.id, { action: "assign", assignee: "nobody@agence.fr" }),
      "VALIDATION",
    );
    expect(unknown.details.fields?.[0]?.path).toBe("assignee");
    await expectDomainError(
      act(escalation.id, { action: "assign", assignee: "victor@agence.fr" }),
      "VALIDATION",
    );
    const [, , second] = await auditOf(escalation.id);
    expect(second?.details).toMatchObject({ from: "user:root", to: "user:claire@agence.fr" });
  });
});

describe("actions on the task", () => {
  it("retry: FAILED → IN_PROGRESS and the escalation resolved with an automatic note", async () => {
    const task = await failedTask(h.ctx);
    const escalation = await escalate(task, "retries_exhausted");
    const view = await act(escalation.id, { action: "retry", reason: "Executor fixed" });
    const after = await loadTask(task.id);
    expect([after.state, after.retryCount, after.version]).toEqual(["IN_PROGRESS", 1, task.version + 1]);
    expect(view).toMatchObject({
      status: "RESOLVED",
      resolved_at: h.clock.now().toISOString(),
      resolution: "Task retried (FAILED → IN_PROGRESS) by user:marc: Executor fixed",
      task: { state: "IN_PROGRESS", version: after.version },
    });
    expect((await load(escalation.id)).openKey).toBeNull();
    const taskAudit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: task.id, action: "task.in_progress" },
      orderBy: { id: "desc" },
    });
    expect(taskAudit).toMatchObject({
      actor: "user:marc",
      fromState: "FAILED",
      toState: "IN_PROGRESS",
      details: { escalation_id: escalation.id },
    });
    expect((await auditOf(escalation.id)).at(-1)).toMatchObject({
      action: "escalation.task_retried",
      details: { status: "RESOLVED", task_from: "FAILED", task_to: "IN_PROGRESS" },
    });
    expect((await eventsOf(escalation.id)).map((e) => e.type)).toEqual([
      "escalation.raised",
      "escalation.task_retried",
    ]);
    expect(
      await h.ctx.prisma.event.count({
        where: { type: "task.in_progress", taskId: task.id, version: after.version },
      }),
    ).toBe(1);
  });

  it("retry of a task that is not FAILED is refused by the state machine and changes nothing", async () => {
    const task = await blockedTask(h.ctx);
    const escalation = await escalate(task, "blocked_over_24h");
    await expectDomainError(act(escalation.id, { action: "retry" }), "ILLEGAL_TRANSITION");
    expect((await load(escalation.id)).version).toBe(1);
    expect((await loadTask(task.id)).version).toBe(task.version);
  });

  it("unblock: BLOCKED → UNBLOCKED, resolved", async () => {
    const task = await blockedTask(h.ctx);
    const escalation = await escalate(task, "blocked_over_24h");
    const view = await act(escalation.id, { action: "unblock", expected_version: 1 });
    expect((await loadTask(task.id)).state).toBe("UNBLOCKED");
    expect(view).toMatchObject({
      status: "RESOLVED",
      resolution: "Task unblocked (BLOCKED → UNBLOCKED) by user:marc",
    });
    expect((await auditOf(escalation.id)).at(-1)?.action).toBe("escalation.task_unblocked");
  });

  it("set_priority: the task's score, the escalation acknowledged and still open", async () => {
    const task = await newTask(h.ctx);
    const escalation = await escalate(task, "sla_breach_imminent");
    const view = await act(escalation.id, { action: "set_priority", score: 95 });
    const after = await loadTask(task.id);
    expect([after.priorityScore, after.version]).toEqual([95, task.version + 1]);
    expect(view).toMatchObject({ status: "ACKNOWLEDGED", version: 2, resolution: null });
    expect(await h.ctx.prisma.auditLog.count({ where: { taskId: task.id, action: "task.rescored" } })).toBe(
      1,
    );
    expect((await auditOf(escalation.id)).at(-1)).toMatchObject({
      action: "escalation.task_reprioritized",
      details: { score_from: task.priorityScore, score_to: 95 },
    });
  });

  it("move_queue: the task re-enters another queue (SLA restarts), the escalation stays open", async () => {
    const task = await newTask(h.ctx);
    const escalation = await escalate(task, "sla_breach_imminent");
    h.clock.advance(60_000);
    const view = await act(escalation.id, { action: "move_queue", queue: "urgent", reason: "VIP client" });
    const after = await loadTask(task.id);
    expect([after.queueName, after.slaDeadline]).toEqual([
      "urgent",
      new Date(h.clock.now().getTime() + 2 * 3_600_000),
    ]);
    expect(view).toMatchObject({ status: "ACKNOWLEDGED", task: { queue: "urgent" } });
    expect((await auditOf(escalation.id)).at(-1)).toMatchObject({
      action: "escalation.task_moved",
      reason: "VIP client",
      details: { queue_from: "normal", queue_to: "urgent" },
    });
  });

  it("a task command refused inside an action leaves both the task and the escalation as they were", async () => {
    const task = await newTask(h.ctx);
    const escalation = await escalate(task, "sla_breach_imminent");
    await expectDomainError(act(escalation.id, { action: "move_queue", queue: "normal" }), "CONFLICT");
    expect((await load(escalation.id)).version).toBe(1);
    // The joined transaction really is one: a failure after the task command rolls it back.
    await expect(
      inTransaction(h.ctx, async (tx, at) => {
        await setScore(withinTransaction(tx, at), task.id, MANAGER, { score: 1 });
        throw new Error("later step failed");
      }),
    ).rejects.toThrow("later step failed");
    expect((await loadTask(task.id)).priorityScore).toBe(task.priorityScore);
  });

  it("cancel: the task CANCELLED with the reason, this and its other open escalations resolved", async () => {
    const task = await blockedTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [task.id] } });
    const blocked = await escalate(task, "blocked_over_24h");
    const sla = await escalate(task, "sla_breach_imminent");
    const before = await loadTask(task.id); // the new dependent bumped its version
    const view = await act(blocked.id, { action: "cancel", reason: "Client abandoned the project" });
    const after = await loadTask(task.id);
    expect([after.state, after.version]).toEqual(["CANCELLED", before.version + 1]);
    expect(view).toMatchObject({
      status: "RESOLVED",
      resolution: "Task cancelled by user:marc: Client abandoned the project",
      also_resolved: [sla.id],
    });
    expect(await load(sla.id)).toMatchObject({ status: "RESOLVED", openKey: null, version: 2 });
    expect((await auditOf(sla.id)).at(-1)).toMatchObject({
      action: "escalation.resolved",
      details: { via: "cancel", by_escalation: blocked.id },
    });
    // The cancel's usual side effect: the dependent gets a dependency conflict.
    expect((await escalationsOf(h.ctx, dependent.id)).map((e) => e.reason)).toEqual(["dependency_conflict"]);
  });
});

describe("resolve, versions, refusals", () => {
  it("resolves with a note; a later occurrence can be raised again", async () => {
    const task = await newTask(h.ctx);
    const escalation = await escalate(task);
    const view = await act(escalation.id, { action: "resolve", note: "Fixed the brief with the client" });
    expect(view).toMatchObject({
      status: "RESOLVED",
      resolution: "Fixed the brief with the client",
      version: 2,
    });
    expect((await load(escalation.id)).openKey).toBeNull();
    expect((await auditOf(escalation.id)).at(-1)).toMatchObject({
      action: "escalation.resolved",
      reason: "Fixed the brief with the client",
    });
    const next = await escalate(task);
    expect(next.id).not.toBe(escalation.id);
  });

  it("any action on a resolved escalation is a CONFLICT", async () => {
    const task = await failedTask(h.ctx);
    const escalation = await escalate(task);
    await act(escalation.id, { action: "resolve", note: "done" });
    for (const input of [
      { action: "acknowledge" },
      { action: "assign", assignee: "me" },
      { action: "retry" },
      { action: "cancel", reason: "x" },
      { action: "resolve", note: "again" },
    ] as EscalationActionInput[]) {
      await expectDomainError(act(escalation.id, input), "CONFLICT");
    }
    expect((await loadTask(task.id)).state).toBe("FAILED");
  });

  it("a stale expected_version is STALE_VERSION with the current escalation", async () => {
    const escalation = await escalate(await newTask(h.ctx));
    await act(escalation.id, { action: "acknowledge" });
    const error = await expectDomainError(
      act(escalation.id, { action: "resolve", note: "late", expected_version: 1 }),
      "STALE_VERSION",
    );
    expect(error.details).toMatchObject({
      escalationId: escalation.id,
      currentVersion: 2,
      current: { id: escalation.id, status: "ACKNOWLEDGED", version: 2 },
    });
    expect((await load(escalation.id)).status).toBe("ACKNOWLEDGED");
  });

  it("only account managers, operators (a policy level) and admins act; unknown ids are NOT_FOUND; bad input is VALIDATION", async () => {
    const escalation = await escalate(await newTask(h.ctx));
    await expectDomainError(act(escalation.id, { action: "acknowledge" }, SYSTEM), "FORBIDDEN");
    await expectDomainError(act(escalation.id, { action: "acknowledge" }, EXECUTOR), "FORBIDDEN");
    await expectDomainError(
      act("ESC-00000000-0000-0000-0000-000000000000", { action: "acknowledge" }),
      "NOT_FOUND",
    );
    const note = await expectDomainError(act(escalation.id, { action: "resolve", note: "  " }), "VALIDATION");
    expect(note.details.fields).toEqual([
      { path: "note", message: "A note is required to resolve an escalation" },
    ]);
    await expectDomainError(act(escalation.id, { action: "set_priority", score: 101 }), "VALIDATION");
    expect((await load(escalation.id)).version).toBe(1);
    await act(escalation.id, { action: "acknowledge" }, OPERATOR);
    expect((await load(escalation.id)).status).toBe("ACKNOWLEDGED");
  });

  it("two people acting at once: one wins, the other gets a conflict", async () => {
    const task = await failedTask(h.ctx);
    const escalation = await escalate(task);
    const results = await Promise.allSettled([
      act(escalation.id, { action: "retry", expected_version: 1 }),
      act(escalation.id, { action: "cancel", reason: "Give up", expected_version: 1 }, ADMIN),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failure] = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect((failure?.reason as { code?: string } | undefined)?.code).toBe("STALE_VERSION");
    expect((await load(escalation.id)).version).toBe(2);
  });
});
