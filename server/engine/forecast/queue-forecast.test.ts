import { beforeEach, describe, expect, it } from "vitest";
import { resetTables } from "../escalation/test-helpers";
import { scheduleTask, startTask } from "../state/lifecycle";
import { transitionTask } from "../state/state-controller";
import { EXECUTOR, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { forecastQueues } from "./queue-forecast";

// Forecasts through blockers (issue 11): a task waiting on unfinished blockers starts after the
// last of them is forecast to finish, across queues and along a chain; on real PostgreSQL.

const h = setupEngine();
const MINUTE = 60_000;

beforeEach(async () => {
  await resetTables(h.ctx);
});

const hours = (n: number) => ({ execution: { estimated_duration_hours: n } });

describe("forecasts through blockers", () => {
  it("a chain across queues: each task starts when its blocker is forecast to finish", async () => {
    const t0 = h.clock.now().getTime();
    const brief = await newTask(h.ctx, { queue: { name: "high_priority" }, ...hours(1) });
    await scheduleTask(h.ctx, brief.id, SYSTEM);
    await startTask(h.ctx, brief.id, EXECUTOR);
    h.clock.advance(15 * MINUTE);
    const scoping = await newTask(h.ctx, {
      queue: { name: "normal" },
      ...hours(2),
      dependencies: { blocked_by: [brief.id] },
    });
    const architecture = await newTask(h.ctx, {
      queue: { name: "low_priority" },
      ...hours(3),
      dependencies: { blocked_by: [scoping.id] },
    });
    const other = await newTask(h.ctx, { queue: { name: "normal" }, ...hours(1) });

    // Asked about one queue only, it follows the chain into the others.
    const f = await inTransaction(h.ctx, (tx, at) => forecastQueues(tx, at, ["low_priority"]));
    const min = (d: Date | undefined) => (d ? (d.getTime() - t0) / MINUTE : null);
    expect(min(f.get(brief.id)?.finish)).toBe(60);
    expect([min(f.get(scoping.id)?.start), min(f.get(scoping.id)?.finish)]).toEqual([60, 180]);
    expect([min(f.get(architecture.id)?.start), min(f.get(architecture.id)?.finish)]).toEqual([180, 360]);
    // Work that is free to go is not held up behind the chain.
    expect(min(f.get(other.id)?.start)).toBe(15);
  });

  it("a blocker that nothing moves forward (on hold) leaves its dependents without a forecast", async () => {
    const blocker = await newTask(h.ctx, { queue: { name: "normal" }, ...hours(1) });
    const dependent = await newTask(h.ctx, {
      queue: { name: "normal" },
      ...hours(1),
      dependencies: { blocked_by: [blocker.id] },
    });
    const before = await inTransaction(h.ctx, (tx, at) => forecastQueues(tx, at, ["normal"]));
    expect(before.get(dependent.id)?.start).toEqual(before.get(blocker.id)?.finish);
    await transitionTask(h.ctx, blocker.id, "ON_HOLD", OPERATOR, { reason: "Attente arbitrage" });
    const after = await inTransaction(h.ctx, (tx, at) => forecastQueues(tx, at, ["normal"]));
    expect(after.has(blocker.id)).toBe(false);
    expect(after.has(dependent.id)).toBe(false);
  });
});
