import { describe, expect, it } from "vitest";
import { waitFor } from "../../test/wait-for";
import { systemClock } from "../engine/clock";
import { startEngine } from "../engine/execution/engine-runner";
import { loadSeedTasks } from "../engine/format/seed-format";
import { setupEngine } from "../engine/state/test-support";
import { instantiateTemplate } from "../engine/state/workflow-engine";
import { logger } from "../logger";
import { WORKED_EXAMPLE_INTAKE, workedExampleContext } from "./demo-tasks";

// The demo's worked example runs to its end whatever the simulator's dice say: even with every
// other task failing unrecoverably, brief analysis completes, scoping is unblocked by it
// automatically and completes, then architecture.

const h = setupEngine({ poolSize: 6, clock: systemClock });

describe("the demo's worked example", () => {
  it("completes TASK-001 → TASK-002 (unblocked automatically) → TASK-003 while everything else fails", async () => {
    const chain = await instantiateTemplate(
      h.ctx,
      "ecommerce-redesign",
      { intake_id: WORKED_EXAMPLE_INTAKE, context: workedExampleContext },
      { id: "client-intake", role: "system" },
    );
    const other = await instantiateTemplate(
      h.ctx,
      "ecommerce-redesign",
      { intake_id: "INK-2026-OTHER", context: workedExampleContext },
      { id: "client-intake", role: "system" },
    );
    const engine = await startEngine(h.db, h.ctx, logger, {
      pollMs: 300,
      sweepMs: 1_000,
      simulator: {
        minTaskMs: 200,
        maxTaskMs: 300,
        tickMs: 50,
        failureRate: 1,
        unrecoverableShare: 1,
        reliableIntakes: [WORKED_EXAMPLE_INTAKE],
        workerId: "sim-demo",
      },
    });
    try {
      await waitFor(
        "the worked example completed",
        async () => {
          const done = await h.ctx.prisma.task.count({
            where: { intakeId: WORKED_EXAMPLE_INTAKE, state: "COMPLETED" },
          });
          return done === chain.length;
        },
        30_000,
      );
      await waitFor(
        "the other chain's first task failed",
        async () => (await h.ctx.prisma.task.count({ where: { id: other[0]!.id, state: "FAILED" } })) === 1,
        30_000,
      );
    } finally {
      await engine.stop();
    }
    const [brief, scoping, architecture] = await loadSeedTasks(
      h.ctx.prisma,
      chain.map((t) => t.id),
    );
    const completedAt = (task: typeof brief) => task!.state.history.find((h) => h.state === "COMPLETED")!.at;
    expect(completedAt(brief) <= completedAt(scoping)).toBe(true);
    expect(completedAt(scoping) <= completedAt(architecture)).toBe(true);
    expect(scoping!.state.history.map((h) => h.state)).toContain("IN_PROGRESS");
  });
});
