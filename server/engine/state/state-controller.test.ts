import { describe, expect, it } from "vitest";
import { TASK_STATES } from "@/lib/states";
import {
  allowedTargets,
  findTransition,
  roleMayTake,
  TRANSITIONS,
  type TransitionActorRole,
} from "@/lib/transitions";
import type { Actor } from "../context";
import { isDomainError } from "../errors";
import { completeTask, scheduleTask, startTask } from "./lifecycle";
import { transitionTask } from "./state-controller";
import {
  ADMIN,
  EXECUTOR,
  expectDomainError,
  forceState,
  historyOf,
  MANAGER,
  newTask,
  OPERATOR,
  SYSTEM,
  setupEngine,
} from "./test-support";

const h = setupEngine({ poolSize: 8 });

const ROLES: TransitionActorRole[] = ["system", "operator", "account_manager", "executor", "admin"];
const actorFor = (role: TransitionActorRole): Actor => ({ id: `test:${role}`, role });

describe("the transition table", () => {
  it("has the seed's rows and no duplicates", () => {
    const seedRows = [
      "CREATED>QUEUED",
      "QUEUED>ON_HOLD",
      "QUEUED>SCHEDULED",
      "QUEUED>CANCELLED",
      "ON_HOLD>IN_PROGRESS",
      "SCHEDULED>IN_PROGRESS",
      "IN_PROGRESS>COMPLETED",
      "IN_PROGRESS>FAILED",
      "IN_PROGRESS>BLOCKED",
      "FAILED>IN_PROGRESS",
      "BLOCKED>UNBLOCKED",
      "UNBLOCKED>IN_PROGRESS",
    ];
    expect(TRANSITIONS.filter((t) => t.seed).map((t) => `${t.from}>${t.to}`)).toEqual(seedRows);
    const keys = TRANSITIONS.map((t) => `${t.from}>${t.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(TRANSITIONS.filter((t) => t.from === "COMPLETED" || t.from === "CANCELLED")).toEqual([]);
  });

  it("allows every row, with history, version, audit and event", async () => {
    for (const rule of TRANSITIONS) {
      const created = await newTask(h.ctx, { queue: { name: "backlog" } });
      const task = await forceState(h.ctx, created.id, rule.from);
      const role = rule.by[0] as TransitionActorRole;
      const { task: after } = await transitionTask(h.ctx, task.id, rule.to, actorFor(role), {
        expectedVersion: task.version,
        reason: "table test",
      });
      expect([after.state, after.previousState, after.version], `${rule.from} → ${rule.to}`).toEqual([
        rule.to,
        rule.from,
        task.version + 1,
      ]);
      expect(after.updatedBy).toBe(`test:${role}`);
      const last = (await historyOf(h.ctx, task.id)).at(-1);
      expect([last?.fromState, last?.state, last?.version, last?.actor]).toEqual([
        rule.from,
        rule.to,
        after.version,
        `test:${role}`,
      ]);
      const audit = await h.ctx.prisma.auditLog.findFirst({
        where: { taskId: task.id },
        orderBy: { id: "desc" },
      });
      expect([audit?.action, audit?.fromState, audit?.toState, audit?.reason, audit?.actor]).toEqual([
        `task.${rule.to.toLowerCase()}`,
        rule.from,
        rule.to,
        "table test",
        `test:${role}`,
      ]);
      const event = await h.ctx.prisma.event.findFirst({
        where: { taskId: task.id },
        orderBy: { id: "desc" },
      });
      expect([event?.type, event?.version, event?.payload]).toEqual([
        `task.${rule.to.toLowerCase()}`,
        after.version,
        { from: rule.from, to: rule.to },
      ]);
    }
  });

  it("refuses every pair that is not a row with ILLEGAL_TRANSITION listing the allowed ones, changing nothing", async () => {
    const created = await newTask(h.ctx, { queue: { name: "backlog" } });
    let refused = 0;
    for (const from of TASK_STATES) {
      const task = await forceState(h.ctx, created.id, from);
      for (const to of TASK_STATES) {
        if (findTransition(from, to)) continue;
        const err = await expectDomainError(
          transitionTask(h.ctx, task.id, to, ADMIN, { reason: "x" }),
          "ILLEGAL_TRANSITION",
        );
        expect(err.details.allowed).toEqual(allowedTargets(from));
        expect(err.message).toContain(`${from} to ${to}`);
        refused += 1;
      }
      const after = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
      expect([after.state, after.version]).toEqual([from, task.version]);
    }
    expect(refused).toBe(TASK_STATES.length ** 2 - TRANSITIONS.length);
  });

  it("lets exactly the rule's roles take it (admin: any human row; system: system rows)", async () => {
    const created = await newTask(h.ctx, { queue: { name: "backlog" } });
    for (const rule of TRANSITIONS) {
      for (const role of ROLES) {
        const task = await forceState(h.ctx, created.id, rule.from, { startedAt: null });
        const attempt = transitionTask(h.ctx, task.id, rule.to, actorFor(role), { reason: "role test" });
        if (roleMayTake(role, rule)) {
          expect((await attempt).task.state, `${role} ${rule.from} → ${rule.to}`).toBe(rule.to);
        } else {
          const err = await expectDomainError(attempt, "FORBIDDEN");
          expect(err.details.allowedRoles).toEqual([...rule.by]);
          const after = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
          expect(after.version).toBe(task.version);
        }
      }
    }
    expect(roleMayTake("admin", findTransition("QUEUED", "SCHEDULED")!)).toBe(false);
    expect(roleMayTake("admin", findTransition("QUEUED", "ON_HOLD")!)).toBe(true);
  });

  it("refuses an unknown state and an unknown task", async () => {
    const task = await newTask(h.ctx);
    const err = await expectDomainError(transitionTask(h.ctx, task.id, "DONE", SYSTEM), "VALIDATION");
    expect(err.details.fields).toEqual([{ path: "to", message: "Unknown state DONE" }]);
    await expectDomainError(transitionTask(h.ctx, "TASK-2026-999999", "SCHEDULED", SYSTEM), "NOT_FOUND");
  });

  it("requires a reason to block and to cancel", async () => {
    const task = await newTask(h.ctx);
    const err = await expectDomainError(
      transitionTask(h.ctx, task.id, "CANCELLED", MANAGER, { reason: "  " }),
      "VALIDATION",
    );
    expect(err.details.fields?.[0]?.path).toBe("reason");
    await forceState(h.ctx, task.id, "IN_PROGRESS");
    await expectDomainError(transitionTask(h.ctx, task.id, "BLOCKED", EXECUTOR), "VALIDATION");
  });
});

describe("versions", () => {
  it("refuses a stale expected version with STALE_VERSION carrying the current task", async () => {
    const task = await newTask(h.ctx);
    await scheduleTask(h.ctx, task.id, SYSTEM, { expectedVersion: task.version });
    const err = await expectDomainError(
      transitionTask(h.ctx, task.id, "ON_HOLD", OPERATOR, { expectedVersion: task.version }),
      "STALE_VERSION",
    );
    expect(err.details.currentVersion).toBe(task.version + 1);
    expect(err.details.current).toMatchObject({
      id: task.id,
      state: { current: "SCHEDULED" },
      metadata: { version: 3 },
    });
  });

  it("lets exactly one of two concurrent transitions based on the same version win", async () => {
    for (let round = 0; round < 5; round++) {
      const task = await newTask(h.ctx);
      const results = await Promise.allSettled([
        transitionTask(h.ctx, task.id, "ON_HOLD", OPERATOR, { expectedVersion: task.version }),
        transitionTask(h.ctx, task.id, "CANCELLED", MANAGER, {
          expectedVersion: task.version,
          reason: "dup",
        }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const reason = (lost[0] as PromiseRejectedResult).reason;
      expect(isDomainError(reason) && reason.code).toBe("STALE_VERSION");
      const after = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
      expect(after.version).toBe(task.version + 1);
      expect(await historyOf(h.ctx, task.id)).toHaveLength(3);
    }
  });
});

describe("starting", () => {
  it("sets started_at and the workflow's first step on the first start only", async () => {
    const task = await newTask(h.ctx, { definition: { title: "Analyse", type: "analysis" } });
    await scheduleTask(h.ctx, task.id, SYSTEM);
    const { task: started } = await startTask(h.ctx, task.id, EXECUTOR);
    expect(started.startedAt?.toISOString()).toBe(h.clock.now().toISOString());
    expect(started.currentStep).toBe("context_review");
    h.clock.advanceHours(1);
    await transitionTask(h.ctx, task.id, "FAILED", EXECUTOR, { reason: "timeout" });
    const { task: retried } = await startTask(h.ctx, task.id, SYSTEM);
    expect(retried.startedAt).toEqual(started.startedAt);
    expect(retried.retryCount).toBe(1);
    expect(retried.lastError).toBe("timeout");
    h.clock.set("2026-03-02T09:00:00Z");
  });

  it("never takes a slot past the queue's capacity, even concurrently", async () => {
    const tasks = await Promise.all(
      Array.from({ length: 5 }, () => newTask(h.ctx, { queue: { name: "critical" } })),
    );
    const results = await Promise.allSettled(tasks.map((t) => scheduleTask(h.ctx, t.id, SYSTEM)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results.filter((r) => r.status === "rejected")) {
      const reason = (r as PromiseRejectedResult).reason;
      expect(isDomainError(reason) && reason.code).toBe("CONFLICT");
      expect(reason.details).toMatchObject({ queue: "critical", capacity: 3, slotsInUse: 3 });
    }
    const ids = tasks.map((t) => t.id);
    // A SCHEDULED task holds its slot: starting it never meets the capacity guard.
    const scheduled = await h.ctx.prisma.task.findMany({ where: { id: { in: ids }, state: "SCHEDULED" } });
    for (const t of scheduled)
      expect((await startTask(h.ctx, t.id, EXECUTOR)).task.state).toBe("IN_PROGRESS");
    // A slot frees when one completes.
    await completeTask(h.ctx, scheduled[0]!.id, EXECUTOR);
    const waiting = await h.ctx.prisma.task.findFirstOrThrow({ where: { id: { in: ids }, state: "QUEUED" } });
    expect((await scheduleTask(h.ctx, waiting.id, SYSTEM)).task.state).toBe("SCHEDULED");
  });

  it("completes with completed_at, progress 100 and appended output", async () => {
    const task = await newTask(h.ctx);
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await startTask(h.ctx, task.id, EXECUTOR);
    const { task: done } = await completeTask(h.ctx, task.id, EXECUTOR, {
      output: {
        deliverables: [{ name: "brief.pdf" }],
        notes: ["Client wants Shopify"],
        next_actions: ["Tech scoping"],
      },
    });
    expect(done.completedAt?.toISOString()).toBe(h.clock.now().toISOString());
    expect(done.progressPercent).toBe(100);
    expect([done.deliverables, done.notes, done.nextActions]).toEqual([
      [{ name: "brief.pdf" }],
      ["Client wants Shopify"],
      ["Tech scoping"],
    ]);
  });

  it("an ON_HOLD task can be started now by an operator (or admin), not by an executor", async () => {
    const task = await newTask(h.ctx);
    await transitionTask(h.ctx, task.id, "ON_HOLD", OPERATOR);
    await expectDomainError(startTask(h.ctx, task.id, EXECUTOR), "FORBIDDEN");
    expect((await startTask(h.ctx, task.id, ADMIN)).task.state).toBe("IN_PROGRESS");
  });
});
