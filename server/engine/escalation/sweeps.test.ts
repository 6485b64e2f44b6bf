import { beforeEach, describe, expect, it } from "vitest";
import { moveTask } from "../queue/queue-manager";
import { blockTask, resumeTask, unblockTask } from "../state/blocker-handler";
import { completeTask } from "../state/lifecycle";
import { cancelTask } from "../state/rollback-manager";
import { MANAGER, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { resolveEscalation } from "./inbox";
import { runEscalationSweeps } from "./sweeps";
import { blockedTask, escalationsOf, resetTables } from "./test-helpers";

const h = setupEngine();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeEach(async () => {
  await resetTables(h.ctx);
});

const sweep = () => runEscalationSweeps(h.ctx);

describe("blocked > 24 h", () => {
  it("raises exactly one at 24 h, not at 23 h 59, and not again on later sweeps", async () => {
    const task = await blockedTask(h.ctx, { queue: "backlog", reason: "Waiting for the client's logo" });
    const blockedSince = task.blockedSince!;

    h.clock.advance(24 * HOUR - MINUTE);
    expect(await sweep()).toEqual({
      raised: 0,
      closed: 0,
      upgraded: 0,
      levelsRaised: 0,
      skipped: false,
      byReason: {},
    });
    expect(await escalationsOf(h.ctx, task.id)).toEqual([]);

    h.clock.advance(MINUTE);
    expect(await sweep()).toEqual({
      raised: 1,
      closed: 0,
      upgraded: 0,
      levelsRaised: 0,
      skipped: false,
      byReason: { blocked_over_24h: 1 },
    });
    const [escalation, ...more] = await escalationsOf(h.ctx, task.id);
    expect(more).toEqual([]);
    expect(escalation).toMatchObject({
      reason: "blocked_over_24h",
      status: "OPEN",
      openKey: `${task.id}:blocked_over_24h`,
      urgency: "medium", // backlog: one level below the reason's "high"
      escalatedTo: "account_manager",
      suggestedAction: "Contacter le client directement",
      deadline: new Date(h.clock.now().getTime() + 8 * HOUR),
      createdAt: h.clock.now(),
      version: 1,
    });
    expect(escalation?.context).toEqual({
      current_state: "BLOCKED",
      blocker: "Waiting for the client's logo",
      blocked_since: blockedSince.toISOString(),
    });

    const audit = await h.ctx.prisma.auditLog.findMany({
      where: { action: "escalation.raised", taskId: task.id },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "task-orchestrator/escalation",
      reason: "blocked_over_24h",
      details: { escalation_id: escalation?.id, urgency: "medium", escalated_to: "account_manager" },
    });
    const events = await h.ctx.prisma.event.findMany({
      where: { type: "escalation.raised", taskId: task.id },
    });
    expect(events.map((e) => [e.version, e.payload])).toEqual([
      [
        null,
        {
          escalation_id: escalation?.id,
          escalation_version: 1,
          reason: "blocked_over_24h",
          urgency: "medium",
          status: "OPEN",
        },
      ],
    ]);

    for (const hours of [0, 1, 30]) {
      h.clock.advance(hours * HOUR);
      expect((await sweep()).raised).toBe(0);
    }
    expect(await escalationsOf(h.ctx, task.id)).toHaveLength(1);
  });

  it("is not raised again for the same blocking once resolved; a new blocking is a new occurrence", async () => {
    const task = await blockedTask(h.ctx, { queue: "backlog" });
    h.clock.advanceHours(25);
    await sweep();
    const [first] = await escalationsOf(h.ctx, task.id, "blocked_over_24h");
    await resolveEscalation(h.ctx, first!.id, MANAGER, { note: "Client called, logo promised for Monday" });
    h.clock.advanceHours(5);
    expect((await sweep()).raised).toBe(0);

    await unblockTask(h.ctx, task.id, MANAGER);
    await resumeTask(h.ctx, task.id, SYSTEM);
    await blockTask(h.ctx, task.id, MANAGER, { reason: "Still no logo" });
    h.clock.advanceHours(23);
    expect((await sweep()).raised).toBe(0);
    h.clock.advanceHours(1);
    expect((await sweep()).raised).toBe(1);
    const all = await escalationsOf(h.ctx, task.id, "blocked_over_24h");
    expect(all.map((e) => [e.status, e.openKey, (e.context as { blocker: string }).blocker])).toEqual([
      ["RESOLVED", null, "Attente validation client"],
      ["OPEN", `${task.id}:blocked_over_24h`, "Still no logo"],
    ]);
  });

  it("is not raised for a task unblocked before 24 h", async () => {
    const task = await blockedTask(h.ctx, { queue: "backlog" });
    h.clock.advanceHours(20);
    await unblockTask(h.ctx, task.id, MANAGER);
    h.clock.advanceHours(10);
    expect((await sweep()).raised).toBe(0);
  });

  it("is critical in the critical queue", async () => {
    const task = await blockedTask(h.ctx, { queue: "critical" });
    h.clock.advanceHours(24);
    await sweep();
    const [escalation] = await escalationsOf(h.ctx, task.id, "blocked_over_24h");
    expect([escalation?.urgency, escalation?.deadline]).toEqual([
      "critical",
      new Date(h.clock.now().getTime() + HOUR),
    ]);
  });
});

describe("SLA breach imminent (< 1 h)", () => {
  it("raises once when less than 1 h is left, with the SLA deadline as its deadline", async () => {
    const task = await newTask(h.ctx, { queue: { name: "normal" } }); // SLA 24 h
    const slaDeadline = task.slaDeadline!;

    h.clock.advanceHours(23); // exactly 1 h left: not yet
    expect((await sweep()).raised).toBe(0);
    h.clock.advance(MINUTE);
    expect(await sweep()).toEqual({
      raised: 1,
      closed: 0,
      upgraded: 0,
      levelsRaised: 0,
      skipped: false,
      byReason: { sla_breach_imminent: 1 },
    });
    const [escalation] = await escalationsOf(h.ctx, task.id);
    expect(escalation).toMatchObject({
      reason: "sla_breach_imminent",
      urgency: "high",
      escalatedTo: "operator", // still waiting: re-prioritising or moving it is queue work
      deadline: slaDeadline,
      context: {
        current_state: "QUEUED",
        queue: "normal",
        sla_deadline: slaDeadline.toISOString(),
        remaining_minutes: 59,
      },
    });

    // Repeated sweeps, through the breach itself: still that one escalation, upgraded to breached.
    for (const minutes of [1, 30, 40, 120]) {
      h.clock.advance(minutes * MINUTE);
      expect((await sweep()).raised).toBe(0);
    }
    expect((await escalationsOf(h.ctx, task.id)).map((e) => [e.id, e.reason])).toEqual([
      [escalation!.id, "sla_breached"],
    ]);

    // Resolved: not raised again for the same deadline.
    await resolveEscalation(h.ctx, escalation!.id, MANAGER, { note: "Client agreed to a delay" });
    h.clock.advanceHours(1);
    expect((await sweep()).raised).toBe(0);

    // A new queue is a new SLA deadline: a new occurrence.
    const moved = await moveTask(h.ctx, task.id, OPERATOR, { queue: "urgent" }); // SLA 2 h
    h.clock.advance(HOUR + MINUTE);
    expect((await sweep()).raised).toBe(1);
    const all = await escalationsOf(h.ctx, task.id);
    expect(all.map((e) => [e.reason, e.status, e.deadline])).toEqual([
      ["sla_breached", "RESOLVED", new Date(slaDeadline.getTime() + 12 * MINUTE + HOUR)], // upgraded at +12 min
      ["sla_breach_imminent", "OPEN", moved.slaDeadline],
    ]);
  });

  it("raises sla_breached, critical, when the deadline passed before any sweep saw it at risk", async () => {
    const task = await newTask(h.ctx, { queue: { name: "urgent" } }); // SLA 2 h
    h.clock.advance(2 * HOUR + 5 * MINUTE);
    expect(await sweep()).toEqual({
      raised: 1,
      closed: 0,
      upgraded: 0,
      levelsRaised: 0,
      skipped: false,
      byReason: { sla_breached: 1 },
    });
    const [escalation] = await escalationsOf(h.ctx, task.id);
    expect(escalation).toMatchObject({
      reason: "sla_breached",
      urgency: "critical",
      escalatedTo: "account_manager",
      deadline: new Date(h.clock.now().getTime() + HOUR),
      context: { current_state: "QUEUED", queue: "urgent", overdue_minutes: 5 },
    });
    h.clock.advanceHours(3);
    expect((await sweep()).raised).toBe(0);
  });

  it("counts running and blocked tasks (the SLA runs until completion), not finished ones", async () => {
    const blocked = await blockedTask(h.ctx, { queue: "critical", reason: "Need prod access" }); // SLA 1 h
    const cancelled = await newTask(h.ctx, { queue: { name: "critical" } });
    await cancelTask(h.ctx, cancelled.id, MANAGER, { reason: "Duplicate" });
    const backlog = await newTask(h.ctx, { queue: { name: "backlog" } }); // no SLA
    h.clock.advance(MINUTE);
    expect((await sweep()).byReason).toEqual({ sla_breach_imminent: 1 });
    const [escalation] = await escalationsOf(h.ctx, blocked.id);
    expect(escalation).toMatchObject({
      urgency: "critical",
      escalatedTo: "operator", // the default policy's first level for an imminent SLA
      suggestedAction: "Prévenir le client d'un retard possible et débloquer l'exécution",
      context: { current_state: "BLOCKED" },
    });
    expect(await escalationsOf(h.ctx, cancelled.id)).toEqual([]);
    expect(await escalationsOf(h.ctx, backlog.id)).toEqual([]);
  });
});

describe("escalations of finished tasks", () => {
  it("are resolved by the sweep once their task completes or is cancelled elsewhere", async () => {
    const done = await blockedTask(h.ctx, { queue: "backlog" });
    const dropped = await blockedTask(h.ctx, { queue: "backlog" });
    const still = await blockedTask(h.ctx, { queue: "backlog" });
    h.clock.advanceHours(24);
    expect((await sweep()).raised).toBe(3);
    await unblockTask(h.ctx, done.id, MANAGER);
    await resumeTask(h.ctx, done.id, SYSTEM);
    await completeTask(h.ctx, done.id, SYSTEM);
    await cancelTask(h.ctx, dropped.id, MANAGER, { reason: "Client left" });
    expect(await sweep()).toEqual({
      raised: 0,
      closed: 2,
      upgraded: 0,
      levelsRaised: 0,
      skipped: false,
      byReason: {},
    });
    const rows = await Promise.all([done, dropped, still].map((t) => escalationsOf(h.ctx, t.id)));
    expect(rows.map(([e]) => [e?.status, e?.resolution, e?.openKey === null])).toEqual([
      ["RESOLVED", "Task completed: nothing left to decide", true],
      ["RESOLVED", "Task cancelled: nothing left to decide", true],
      ["OPEN", null, false],
    ]);
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { action: "escalation.resolved", taskId: done.id },
    });
    expect(audit).toMatchObject({ actor: "task-orchestrator/escalation", details: { via: "task_finished" } });
    expect((await sweep()).closed).toBe(0);
  });
});

describe("runEscalationSweeps across instances", () => {
  it("three sweeps racing raise each escalation once", async () => {
    const blocked = await Promise.all([1, 2, 3].map(() => blockedTask(h.ctx, { queue: "backlog" })));
    const waiting = await Promise.all([1, 2].map(() => newTask(h.ctx, { queue: { name: "critical" } })));
    h.clock.advanceHours(24);
    const results = await Promise.all([sweep(), sweep(), sweep()]);
    const raised = results.reduce((n, r) => n + r.raised, 0);
    expect(raised).toBe(5);
    for (const task of [...blocked, ...waiting]) {
      expect(await escalationsOf(h.ctx, task.id)).toHaveLength(1);
    }
    expect(await h.ctx.prisma.escalation.count()).toBe(5);
    expect(await h.ctx.prisma.auditLog.count({ where: { action: "escalation.raised" } })).toBe(5);
    // Again, racing: nothing new.
    const again = await Promise.all([sweep(), sweep(), sweep()]);
    expect(again.reduce((n, r) => n + r.raised, 0)).toBe(0);
  });

  it("skips while another instance holds the sweep lock", async () => {
    await blockedTask(h.ctx, { queue: "backlog" });
    h.clock.advanceHours(25);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = h.ctx.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('escalation-sweeps'))`;
      locked();
      await held;
    });
    await lockTaken;
    expect(await sweep()).toEqual({
      raised: 0,
      closed: 0,
      upgraded: 0,
      levelsRaised: 0,
      skipped: true,
      byReason: {},
    });
    release();
    await holder;
    expect((await sweep()).raised).toBe(1);
  });

  it("works through a backlog in batches", async () => {
    await Promise.all([1, 2, 3].map(() => blockedTask(h.ctx, { queue: "backlog" })));
    h.clock.advanceHours(24);
    expect((await runEscalationSweeps(h.ctx, { batchSize: 2 })).raised).toBe(2);
    expect((await runEscalationSweeps(h.ctx, { batchSize: 2 })).raised).toBe(1);
    expect((await runEscalationSweeps(h.ctx, { batchSize: 2 })).raised).toBe(0);
  });
});
