import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../context";
import { historyOf, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { workerActor } from "./leases";
import { createExecutor } from "./skill-executors";
import { resetTasks, setCapacity, stateOf } from "./testing/support";
import { claimTasks } from "./worker-protocol";

// A claim takes an unbounded queue's waiting tasks itself once its SCHEDULED ones run out
// (migration 20261203170000_claim_dispatches_waiting): the system's dispatch and the worker's
// start, written as the dispatcher and a claim write them, in one UPDATE of the task's row.

const h = setupEngine({ poolSize: 6 });
const ADMIN: Actor = { id: "admin@example.com", role: "admin" };

beforeEach(async () => {
  await resetTasks(h.ctx);
  await h.ctx.prisma.skillExecutor.deleteMany();
  await setCapacity(h.ctx, "scheduled", 50);
});

const backlog = (title: string, score: number, skill = "backend") =>
  newTask(h.ctx, {
    queue: { name: "backlog" },
    priority: { score },
    definition: { title, skill_target: skill },
  });

describe("a claim in an unbounded queue", () => {
  it("dispatches and starts waiting tasks in the dispatcher's order, each move written as it would be", async () => {
    const low = await backlog("low", 10);
    const high = await backlog("high", 90);
    const middle = await backlog("middle", 50);

    const { tasks } = await claimTasks(h.ctx, { workerId: "w-1", skills: ["backend"], max: 2 });
    expect(tasks.map((t) => t.id)).toEqual([high.id, middle.id]);
    for (const task of tasks) {
      expect(task).toMatchObject({ state: "IN_PROGRESS", previousState: "SCHEDULED", leaseOwner: "w-1" });
      expect(task.version).toBe(high.version + 2);
    }
    expect(await stateOf(h.ctx, low.id)).toBe("QUEUED");

    const history = (await historyOf(h.ctx, high.id)).slice(-2);
    expect(history.map((r) => [r.fromState, r.state, r.actor, r.version])).toEqual([
      ["QUEUED", "SCHEDULED", SYSTEM.id, high.version + 1],
      ["SCHEDULED", "IN_PROGRESS", workerActor("w-1").id, high.version + 2],
    ]);
    const audit = await h.ctx.prisma.auditLog.findMany({
      where: { taskId: high.id, action: { in: ["task.scheduled", "task.in_progress"] } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actor, a.fromState, a.toState])).toEqual([
      ["task.scheduled", SYSTEM.id, "QUEUED", "SCHEDULED"],
      ["task.in_progress", workerActor("w-1").id, "SCHEDULED", "IN_PROGRESS"],
    ]);
    expect(audit[0]!.details).toMatchObject({ skill_target: "backend", queue: "backlog" });
    const events = await h.ctx.prisma.event.findMany({
      where: { taskId: high.id, type: { in: ["task.scheduled", "task.in_progress"] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.type, e.version])).toEqual([
      ["task.scheduled", high.version + 1],
      ["task.in_progress", high.version + 2],
    ]);
  });

  it("takes the SCHEDULED tasks first, then waiting ones, and only of its skills", async () => {
    const scheduled = await backlog("scheduled", 10);
    await dispatchOnce(h.ctx);
    const waiting = await backlog("waiting", 90);
    const other = await backlog("other skill", 95, "design");

    const { tasks } = await claimTasks(h.ctx, { workerId: "w-1", skills: ["backend"], max: 5 });
    expect(tasks.map((t) => t.id)).toEqual([scheduled.id, waiting.id]);
    expect(await stateOf(h.ctx, other.id)).toBe("QUEUED");
  });

  it("leaves to the dispatcher a bounded queue, a skill a team serves, an unfinished blocker, a date ahead", async () => {
    await setCapacity(h.ctx, "scheduled", null);
    const bounded = await newTask(h.ctx, {
      queue: { name: "normal" },
      definition: { title: "bounded", skill_target: "backend" },
    });
    await createExecutor(h.ctx, { skill: "design", kind: "human", team: "designers" }, ADMIN);
    const team = await backlog("team", 90, "design");
    const blocker = await backlog("blocker", 1, "writing");
    const dependent = await newTask(h.ctx, {
      queue: { name: "backlog" },
      priority: { score: 99 },
      definition: { title: "dependent", skill_target: "backend" },
      dependencies: { blocked_by: [blocker.id] },
    });
    const due = new Date(h.clock.now().getTime() + 3_600_000);
    const planned = await newTask(h.ctx, {
      queue: { name: "scheduled", scheduled_for: due.toISOString() },
      definition: { title: "planned", skill_target: "backend" },
    });

    const { tasks } = await claimTasks(h.ctx, { workerId: "w-1", skills: ["backend", "design"], max: 10 });
    expect(tasks).toEqual([]);
    for (const task of [bounded, team, dependent, planned])
      expect(await stateOf(h.ctx, task.id)).toBe("QUEUED");

    h.clock.advance(3_600_000);
    expect(
      (await claimTasks(h.ctx, { workerId: "w-1", skills: ["backend"], max: 10 })).tasks.map((t) => t.id),
    ).toEqual([planned.id]);
  });
});
