import { beforeEach, describe, expect, it } from "vitest";
import type { EscalationReason } from "@/lib/escalations";
import type { Task } from "../../db/generated/client";
import { blockTask } from "../state/blocker-handler";
import { addDependency } from "../state/dependencies";
import { scheduleTask, startTask } from "../state/lifecycle";
import { cancelTask } from "../state/rollback-manager";
import { expectDomainError, MANAGER, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { toSeedEscalation } from "./format";
import { acknowledgeEscalation, resolveEscalation } from "./inbox";
import { raiseEscalation } from "./raise";
import {
  escalateDependencyCycle,
  escalateDependencyCycleError,
  escalateRetriesExhausted,
  escalateUnrecoverable,
} from "./rules";
import { runEscalationSweeps } from "./sweeps";
import { blockedTask, escalationsOf, failedTask, resetTables } from "./test-helpers";

const h = setupEngine();
const HOUR = 3_600_000;

beforeEach(async () => {
  await resetTables(h.ctx);
});

/** The seed's escalation example (seed/task-orchestrator.md, "Format d'Escalade"), verbatim. */
const SEED_EXAMPLE = JSON.parse(`{
  "escalation": {
    "task_id": "TASK-2024-001234",
    "reason": "blocked_over_24h",
    "urgency": "high",
    "context": {
      "current_state": "BLOCKED",
      "blocker": "Attente validation client",
      "blocked_since": "2024-01-14T11:00:00Z"
    },
    "suggested_action": "Contacter le client directement",
    "escalated_to": "account_manager",
    "deadline": "2024-01-15T14:00:00Z"
  }
}`);

/** Same keys at every level (order aside). */
function keysOf(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return typeof value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, keysOf(v)]),
  );
}

describe("the seed's format", () => {
  it("reproduces the seed's example key for key, value for value (instants compared as instants)", async () => {
    h.clock.set("2024-01-14T10:00:00Z");
    const task = await newTask(h.ctx, { queue: { name: "high_priority" } });
    h.clock.set("2024-01-14T11:00:00Z");
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await startTask(h.ctx, task.id, SYSTEM);
    await blockTask(h.ctx, task.id, MANAGER, { reason: "Attente validation client" });
    h.clock.set("2024-01-15T11:00:00Z"); // 24 h later
    await runEscalationSweeps(h.ctx);

    const [row] = await escalationsOf(h.ctx, task.id, "blocked_over_24h");
    const record = toSeedEscalation(row!);
    expect(keysOf(record)).toEqual(keysOf(SEED_EXAMPLE));
    const { task_id, deadline, context, ...rest } = record.escalation;
    const seed = SEED_EXAMPLE.escalation;
    expect(task_id).toMatch(/^TASK-2024-\d{6}$/);
    expect(rest).toEqual({
      reason: seed.reason,
      urgency: seed.urgency,
      suggested_action: seed.suggested_action,
      escalated_to: seed.escalated_to,
    });
    expect(new Date(deadline)).toEqual(new Date(seed.deadline));
    expect({ ...context, blocked_since: new Date(context.blocked_since as string) }).toEqual({
      ...seed.context,
      blocked_since: new Date(seed.context.blocked_since),
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record); // plain JSON, nothing lost
  });
});

describe("raiseEscalation", () => {
  const raise = (task: Task, reason: EscalationReason = "unrecoverable_error") =>
    inTransaction(h.ctx, (tx, at) =>
      raiseEscalation(tx, at, { task, reason, context: { note: "x" } }, SYSTEM),
    );

  it("fills urgency, target, suggested action and deadline from the policy", async () => {
    const task = await newTask(h.ctx, { queue: { name: "low_priority" } });
    const { escalation, created } = await raise(task);
    expect(created).toBe(true);
    expect(escalation).toMatchObject({
      id: expect.stringMatching(/^ESC-[0-9a-f-]{36}$/),
      taskId: task.id,
      reason: "unrecoverable_error",
      urgency: "medium",
      escalatedTo: "operator",
      suggestedAction: "Corriger l'entrée ou le skill de la tâche, puis la relancer, ou l'annuler",
      deadline: new Date(h.clock.now().getTime() + 8 * HOUR),
      status: "OPEN",
      context: { note: "x" },
    });
  });

  it("does not duplicate while one is open (OPEN or ACKNOWLEDGED); raises anew once it is resolved", async () => {
    const task = await newTask(h.ctx);
    const first = await raise(task);
    const again = await raise(task);
    expect([again.created, again.escalation.id]).toEqual([false, first.escalation.id]);
    await acknowledgeEscalation(h.ctx, first.escalation.id, MANAGER);
    expect((await raise(task)).created).toBe(false);
    // Another reason for the same task is another escalation.
    expect((await raise(task, "retries_exhausted")).created).toBe(true);

    await resolveEscalation(h.ctx, first.escalation.id, MANAGER, { note: "Input fixed" });
    const next = await raise(task);
    expect(next.created).toBe(true);
    expect(next.escalation.id).not.toBe(first.escalation.id);
    const rows = await escalationsOf(h.ctx, task.id, "unrecoverable_error");
    expect(rows.map((r) => [r.status, r.openKey])).toEqual([
      ["RESOLVED", null],
      ["OPEN", `${task.id}:unrecoverable_error`],
    ]);
    // Only the escalations actually raised are audited and published.
    expect(
      await h.ctx.prisma.auditLog.count({ where: { action: "escalation.raised", taskId: task.id } }),
    ).toBe(3);
    expect(await h.ctx.prisma.event.count({ where: { type: "escalation.raised", taskId: task.id } })).toBe(3);
  });

  it("raises one when several transactions raise the same at once", async () => {
    const task = await newTask(h.ctx);
    const results = await Promise.all([1, 2, 3, 4].map(() => raise(task)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.escalation.id)).size).toBe(1);
    expect(await escalationsOf(h.ctx, task.id)).toHaveLength(1);
  });

  it("commits with the caller's transaction, or not at all", async () => {
    const task = await newTask(h.ctx);
    await expect(
      inTransaction(h.ctx, async (tx, at) => {
        await raiseEscalation(tx, at, { task, reason: "sla_breached", context: {} }, SYSTEM);
        throw new Error("the caller's change failed");
      }),
    ).rejects.toThrow("the caller's change failed");
    expect(await escalationsOf(h.ctx, task.id)).toEqual([]);
    expect(await h.ctx.prisma.auditLog.count({ where: { action: "escalation.raised" } })).toBe(0);
  });
});

describe("escalations raised by the code that meets the condition", () => {
  it("retries exhausted and unrecoverable errors go to the tech lead with the error in context", async () => {
    const task = await failedTask(h.ctx, "critical");
    const exhausted = await inTransaction(h.ctx, (tx, at) =>
      escalateRetriesExhausted(tx, at, task, "timeout x4"),
    );
    expect(exhausted.escalation).toMatchObject({
      reason: "retries_exhausted",
      urgency: "critical",
      escalatedTo: "operator",
      deadline: new Date(h.clock.now().getTime() + HOUR),
      context: {
        current_state: "FAILED",
        last_error: "timeout x4",
        retry_count: 0,
        queue: "critical",
        skill_target: "",
      },
    });
    const other = await failedTask(h.ctx);
    const unrecoverable = await inTransaction(h.ctx, (tx, at) =>
      escalateUnrecoverable(tx, at, { ...other, leaseOwner: "w1" }, "Invalid brief"),
    );
    expect(unrecoverable.escalation).toMatchObject({
      reason: "unrecoverable_error",
      urgency: "high",
      escalatedTo: "operator",
      deadline: new Date(h.clock.now().getTime() + 3 * HOUR),
      context: { last_error: "Invalid brief", last_executor: "w1" },
    });
    const [audit] = await h.ctx.prisma.auditLog.findMany({
      where: { action: "escalation.raised", taskId: other.id },
    });
    expect(audit?.actor).toBe("task-orchestrator/execution");
  });

  it("a dependency cycle attempted by automation is a dependency conflict of the dependent", async () => {
    const a = await newTask(h.ctx);
    const b = await newTask(h.ctx, { dependencies: { blocked_by: [a.id] } });
    const refusal = await expectDomainError(addDependency(h.ctx, a.id, b.id, SYSTEM), "DEPENDENCY_CONFLICT");
    const raised = await escalateDependencyCycleError(h.ctx, refusal);
    expect(raised?.escalation).toMatchObject({
      taskId: a.id,
      reason: "dependency_conflict",
      urgency: "high",
      escalatedTo: "account_manager",
      suggestedAction: "Revoir les dépendances : en retirer une pour rompre le cycle",
      context: { current_state: "QUEUED", blocker: b.id, conflict: "cycle", cycle: [b.id, a.id, b.id] },
    });
    expect(await escalateDependencyCycleError(h.ctx, new Error("other"))).toBeNull();
    // Direct form, deduplicated with the open one.
    const again = await inTransaction(h.ctx, (tx, at) =>
      escalateDependencyCycle(tx, at, { dependent: a, blockerId: b.id, cycle: [b.id, a.id] }),
    );
    expect(again.created).toBe(false);
  });

  it("a cancelled blocker raises a dependency conflict through the same door", async () => {
    const blocker = await blockedTask(h.ctx);
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [blocker.id] } });
    const { conflicts } = await cancelTask(h.ctx, blocker.id, MANAGER, { reason: "Client withdrew" });
    const [escalation] = await escalationsOf(h.ctx, dependent.id);
    expect(conflicts).toEqual([
      {
        dependentId: dependent.id,
        blockerId: blocker.id,
        kind: "blocker_cancelled",
        escalationId: escalation?.id,
      },
    ]);
    expect(escalation).toMatchObject({
      reason: "dependency_conflict",
      urgency: "high",
      escalatedTo: "account_manager",
      suggestedAction:
        "Retirer ou remplacer la dépendance annulée, annuler l'annulation, ou annuler cette tâche",
      context: {
        current_state: "QUEUED",
        blocker: blocker.id,
        blocker_state: "CANCELLED",
        conflict: "blocker_cancelled",
        blocker_reason: "Client withdrew",
      },
    });
    expect(
      await h.ctx.prisma.event.count({ where: { type: "escalation.raised", taskId: dependent.id } }),
    ).toBe(1);
  });
});
