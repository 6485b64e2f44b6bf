import { beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/wait-for";
import { logger } from "../../logger";
import { systemClock } from "../clock";
import { createTask } from "../queue/create-task";
import { SYSTEM, setupEngine } from "../state/test-support";
import { startEngine } from "./engine-runner";
import { simulatorEnabled } from "./simulator";
import { resetTasks } from "./testing/support";

// The runner on a real database with the real clock: it reacts to committed changes at once
// (LISTEN), and the simulator drives tasks through the worker protocol.

const h = setupEngine({ poolSize: 6, clock: systemClock });

beforeEach(async () => {
  await resetTasks(h.ctx);
});

const newTask = (title: string, extra: Partial<Parameters<typeof createTask>[1]> = {}) =>
  createTask(
    h.ctx,
    {
      definition: { title, type: "development", skill_target: "backend" },
      queue: { name: "urgent" },
      ...extra,
    },
    SYSTEM,
  );

describe("engine runner", () => {
  it("dispatches a new task at once, woken by its change event rather than by polling", async () => {
    const stateOf = async (id: string) => (await h.ctx.prisma.task.findUnique({ where: { id } }))?.state;
    // A task waiting before the engine starts is taken by the start-up round: once it is
    // SCHEDULED, that round is over, and the poll is 10 minutes away (beyond the test's limit).
    const before = await newTask("waiting before start");
    const engine = await startEngine(h.db, h.ctx, logger, { pollMs: 600_000, sweepMs: 600_000 });
    try {
      await waitFor("the start-up round", async () => (await stateOf(before.id)) === "SCHEDULED");
      // So only the change event of this new task can wake the dispatcher for it.
      const task = await newTask("react");
      await waitFor("SCHEDULED by the change event", async () => (await stateOf(task.id)) === "SCHEDULED");
    } finally {
      await engine.stop();
    }
  });

  it("runs tasks to completion with the simulator: claims, progress through the workflow steps, output", async () => {
    const tasks = [];
    for (let i = 0; i < 4; i++)
      tasks.push(await newTask(`sim ${i}`, { execution: { estimated_duration_hours: 1 } }));
    const engine = await startEngine(h.db, h.ctx, logger, {
      pollMs: 500,
      sweepMs: 1_000,
      simulator: {
        secondsPerHour: 1.2,
        minTaskMs: 800,
        tickMs: 100,
        failureRate: 0,
        blockRate: 0,
        workerId: "sim-test",
      },
    });
    try {
      await waitFor(
        "all completed",
        async () => (await h.ctx.prisma.task.count({ where: { state: "COMPLETED" } })) === tasks.length,
      );
    } finally {
      await engine.stop();
    }
    const done = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: tasks[0]!.id } });
    expect(done.assignedTo).toBe("sim-test");
    expect(done.deliverables).toEqual([{ name: "development deliverable", produced_by: "sim-test" }]);
    const steps = await h.ctx.prisma.auditLog.findMany({
      where: { taskId: done.id, action: "task.progress" },
      orderBy: { id: "asc" },
    });
    expect(steps.length).toBeGreaterThan(0);
    const history = await h.ctx.prisma.taskStateHistory.findMany({
      where: { taskId: done.id },
      orderBy: { id: "asc" },
    });
    expect(history.map((h) => h.state)).toEqual([
      "CREATED",
      "QUEUED",
      "SCHEDULED",
      "IN_PROGRESS",
      "COMPLETED",
    ]);
  });

  it("simulated failures go through the error-handler (unrecoverable: given up and escalated)", async () => {
    const task = await newTask("doomed");
    const engine = await startEngine(h.db, h.ctx, logger, {
      pollMs: 500,
      sweepMs: 60_000,
      simulator: {
        minTaskMs: 300,
        maxTaskMs: 300,
        tickMs: 100,
        failureRate: 1,
        unrecoverableShare: 1,
        workerId: "sim-fail",
      },
    });
    try {
      await waitFor("escalation", () => h.ctx.prisma.escalation.findFirst({ where: { taskId: task.id } }));
    } finally {
      await engine.stop();
    }
    const failed = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect([failed.state, failed.nextRetryAt]).toEqual(["FAILED", null]);
  });

  it("turns the simulator on in demo mode unless ORCHESTRATOR_SIMULATOR says otherwise", () => {
    expect(simulatorEnabled({})).toBe(false);
    expect(simulatorEnabled({ ORCHESTRATOR_DEMO: "1" })).toBe(true);
    expect(simulatorEnabled({ ORCHESTRATOR_DEMO: "1", ORCHESTRATOR_SIMULATOR: "0" })).toBe(false);
    expect(simulatorEnabled({ ORCHESTRATOR_SIMULATOR: "1" })).toBe(true);
  });
});
