import { describe, expect, it } from "vitest";
import { waitFor } from "../../../test/wait-for";
import { logger } from "../../logger";
import { systemClock } from "../clock";
import { startEngine } from "../execution/engine-runner";
import { holdTask } from "../state/blocker-handler";
import { failTask, scheduleTask, startTask } from "../state/lifecycle";
import { transitionTask } from "../state/state-controller";
import { EXECUTOR, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { escalateUnrecoverable } from "./rules";

// The engine runner follows committed task changes (LISTEN): an escalation whose cause a change
// took away is resolved, and an SLA clock that a change paused is refreshed, without a sweep
// (the sweep interval is set far away) — on a real database and the real clock.

const h = setupEngine({ poolSize: 6, clock: systemClock });

describe("the engine follows task changes", () => {
  it("resolves the escalation of a task retried elsewhere, and pauses the clock of a task put on hold", async () => {
    const engine = await startEngine(h.db, h.ctx, logger.child({}, { level: "silent" }), {
      dispatch: false,
      sweepMs: 600_000,
    });
    try {
      const failing = await newTask(h.ctx, { queue: { name: "urgent" } });
      await scheduleTask(h.ctx, failing.id, SYSTEM);
      await startTask(h.ctx, failing.id, EXECUTOR);
      const failed = (await failTask(h.ctx, failing.id, SYSTEM, { error: "Access denied", final: true }))
        .task;
      const { escalation } = await inTransaction(h.ctx, (tx, at) =>
        escalateUnrecoverable(tx, at, failed, "Access denied"),
      );
      const held = await newTask(h.ctx, { queue: { name: "normal" } });

      await transitionTask(h.ctx, failing.id, "IN_PROGRESS", OPERATOR); // retried from the task page
      await holdTask(h.ctx, held.id, OPERATOR);

      await waitFor("the escalation resolved", async () => {
        const row = await h.ctx.prisma.escalation.findUniqueOrThrow({ where: { id: escalation.id } });
        return row.status === "RESOLVED";
      });
      await waitFor("the clock paused", async () => {
        const row = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: held.id } });
        return row.slaPaused && row.slaDeadline === null;
      });
      const row = await h.ctx.prisma.escalation.findUniqueOrThrow({ where: { id: escalation.id } });
      expect([row.resolution, row.resolvedBy]).toEqual([
        "Task retried (now IN_PROGRESS): the failure no longer stands",
        "task-orchestrator/escalation",
      ]);
    } finally {
      await engine.stop();
    }
  });
});
