import { describe, expect, it } from "vitest";
import { loadSeedTask } from "../format/seed-format";
import { scheduleTask, startTask } from "../state/lifecycle";
import { cancelTask } from "../state/rollback-manager";
import {
  EXECUTOR,
  expectDomainError,
  MANAGER,
  newTask,
  OPERATOR,
  SYSTEM,
  setupEngine,
} from "../state/test-support";
import { bumpTask, reorderTask, setScore } from "./priority-adjuster";
import { moveTask } from "./queue-manager";
import { queueWaitingList } from "./stats";

const h = setupEngine();

describe("bump and score", () => {
  it("bumps by 10 up to 100, recording manual_bump once", async () => {
    const task = await newTask(h.ctx, { priority: { score: 85, factors: ["vip_client"] } });
    const once = await bumpTask(h.ctx, task.id, OPERATOR, { expectedVersion: task.version });
    expect([once.priorityScore, once.priorityFactors, once.version]).toEqual([
      95,
      ["vip_client", "manual_bump"],
      task.version + 1,
    ]);
    const twice = await bumpTask(h.ctx, task.id, OPERATOR);
    expect([twice.priorityScore, twice.priorityFactors]).toEqual([100, ["vip_client", "manual_bump"]]);
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: task.id },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({ action: "task.bumped", details: { from: 95, to: 100 } });
  });

  it("sets a score 0-100 and refuses anything else, changing nothing", async () => {
    const task = await newTask(h.ctx);
    expect((await setScore(h.ctx, task.id, OPERATOR, { score: 0 })).priorityScore).toBe(0);
    for (const score of [-1, 101, 50.5, Number.NaN]) {
      const err = await expectDomainError(setScore(h.ctx, task.id, OPERATOR, { score }), "VALIDATION");
      expect(err.details.fields?.[0]?.path).toBe("score");
    }
    expect((await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).priorityScore).toBe(0);
    await expectDomainError(setScore(h.ctx, "TASK-2026-999999", OPERATOR, { score: 5 }), "NOT_FOUND");
    await cancelTask(h.ctx, task.id, MANAGER, { reason: "x" });
    await expectDomainError(bumpTask(h.ctx, task.id, OPERATOR), "CONFLICT");
  });
});

describe("reorder (drag and drop)", () => {
  async function queueOf(n: number, queue: "low_priority" | "urgent") {
    const tasks = [];
    for (let i = 0; i < n; i++) {
      tasks.push(await newTask(h.ctx, { queue: { name: queue }, priority: { score: 90 - i } }));
      h.clock.advance(1000);
    }
    return tasks.map((t) => t.id);
  }
  const order = async (queue: string) => (await queueWaitingList(h.ctx.prisma, queue)).map((t) => t.id);

  it("puts a task exactly where it is dropped, ranking only what is needed", async () => {
    const ids = await queueOf(6, "low_priority");
    expect(await order("low_priority")).toEqual(ids);
    const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];

    // f after c: a, b, c get ranks (they must stay ahead), f gets one after c; d, e stay unranked.
    await reorderTask(h.ctx, f, OPERATOR, { after: c });
    expect(await order("low_priority")).toEqual([a, b, c, f, d, e]);
    const ranked = await h.ctx.prisma.task.findMany({
      where: { id: { in: ids }, rank: { not: null } },
      select: { id: true },
    });
    expect(ranked.map((r) => r.id).sort()).toEqual([a, b, c, f].sort());

    // a before b… it already is; then e before a (to the top), then b after e, c to the bottom.
    await reorderTask(h.ctx, e, OPERATOR, { before: a });
    expect(await order("low_priority")).toEqual([e, a, b, c, f, d]);
    await reorderTask(h.ctx, b, OPERATOR, { after: e });
    expect(await order("low_priority")).toEqual([e, b, a, c, f, d]);
    await reorderTask(h.ctx, c, OPERATOR, { after: d });
    expect(await order("low_priority")).toEqual([e, b, a, f, d, c]);
    // Seed format shows the live position.
    expect((await loadSeedTask(h.ctx.prisma, a))?.queue.position).toBe(2);
    // Bumping an unranked task reorders among unranked ones only; ranked ones stay ahead.
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: c },
      orderBy: { id: "desc" },
    });
    expect(audit).toMatchObject({ action: "task.reordered", details: { after: d } });
  });

  it("many drags to the same spot keep working without renumbering", async () => {
    const ids = await queueOf(3, "urgent");
    const [x, y, z] = ids as [string, string, string];
    for (let i = 0; i < 20; i++) {
      await reorderTask(h.ctx, i % 2 ? y : z, OPERATOR, { after: x });
    }
    // Only these three: other tests may leave tasks waiting in the same queue.
    expect((await order("urgent")).filter((id) => ids.includes(id))).toEqual([x, y, z]);
  });

  it("refuses bad requests", async () => {
    const [p, q] = (await queueOf(2, "urgent")).slice(0, 2) as [string, string];
    const other = await newTask(h.ctx, { queue: { name: "normal" } });
    await expectDomainError(reorderTask(h.ctx, p, OPERATOR, {}), "VALIDATION");
    await expectDomainError(reorderTask(h.ctx, p, OPERATOR, { before: q, after: q }), "VALIDATION");
    await expectDomainError(reorderTask(h.ctx, p, OPERATOR, { before: p }), "VALIDATION");
    const wrongQueue = await expectDomainError(
      reorderTask(h.ctx, p, OPERATOR, { before: other.id }),
      "VALIDATION",
    );
    expect(wrongQueue.details.fields?.[0]?.path).toBe("before");
    await expectDomainError(reorderTask(h.ctx, p, OPERATOR, { before: "TASK-2026-999999" }), "NOT_FOUND");
    await expectDomainError(
      reorderTask(h.ctx, p, OPERATOR, { before: q, expectedVersion: 1 }),
      "STALE_VERSION",
    );
    await scheduleTask(h.ctx, q, SYSTEM);
    await expectDomainError(reorderTask(h.ctx, p, OPERATOR, { after: q }), "CONFLICT");
  });
});

describe("moveTask", () => {
  it("moves to another queue, restarting the SLA clock and dropping the rank", async () => {
    const task = await newTask(h.ctx, { queue: { name: "normal" } });
    await h.ctx.prisma.task.update({ where: { id: task.id }, data: { rank: "V" } });
    h.clock.advanceHours(3);
    const moved = await moveTask(h.ctx, task.id, OPERATOR, { queue: "critical", reason: "Prod down" });
    expect([moved.queueName, moved.rank, moved.queueEnteredAt, moved.slaDeadline?.toISOString()]).toEqual([
      "critical",
      null,
      h.clock.now(),
      new Date(h.clock.now().getTime() + 3_600_000).toISOString(),
    ]);
    const toScheduled = await moveTask(h.ctx, task.id, OPERATOR, {
      queue: "scheduled",
      scheduledFor: "2026-04-01T08:00:00Z",
    });
    expect([toScheduled.slaDeadline?.toISOString(), toScheduled.scheduledFor?.toISOString()]).toEqual([
      "2026-04-01T08:00:00.000Z",
      "2026-04-01T08:00:00.000Z",
    ]);
    const toBacklog = await moveTask(h.ctx, task.id, OPERATOR, { queue: "backlog" });
    expect([toBacklog.slaDeadline, toBacklog.scheduledFor]).toEqual([null, null]);
  });

  it("refuses an unknown queue, the same queue, a missing date, a running or finished task", async () => {
    const task = await newTask(h.ctx, { queue: { name: "normal" } });
    const err = await expectDomainError(
      moveTask(h.ctx, task.id, OPERATOR, { queue: "nowhere" }),
      "VALIDATION",
    );
    expect(err.details.fields).toEqual([{ path: "queue", message: "Unknown queue nowhere" }]);
    await expectDomainError(moveTask(h.ctx, task.id, OPERATOR, { queue: "normal" }), "CONFLICT");
    await expectDomainError(moveTask(h.ctx, task.id, OPERATOR, { queue: "scheduled" }), "VALIDATION");
    await scheduleTask(h.ctx, task.id, SYSTEM);
    await startTask(h.ctx, task.id, EXECUTOR);
    await expectDomainError(moveTask(h.ctx, task.id, OPERATOR, { queue: "urgent" }), "CONFLICT");
  });
});
