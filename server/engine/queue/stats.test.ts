import { describe, expect, it } from "vitest";
import { localizeMessage } from "../../i18n/localize-message";
import { blockTask, holdTask } from "../state/blocker-handler";
import { scheduleTask, startTask } from "../state/lifecycle";
import { EXECUTOR, expectDomainError, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { queueStats, queueWaitingList } from "./stats";

const h = setupEngine();

describe("queueStats", () => {
  it("counts waiting, scheduled, running, held, blocked, oldest wait and SLA gauges per queue", async () => {
    const t0 = h.clock.now();
    const old = await newTask(h.ctx, { queue: { name: "urgent" } }); // SLA 2 h
    h.clock.advance(30 * 60_000);
    const dispatched = await newTask(h.ctx, { queue: { name: "urgent" } });
    await scheduleTask(h.ctx, dispatched.id, SYSTEM);
    const running = await newTask(h.ctx, { queue: { name: "urgent" } });
    const held = await newTask(h.ctx, { queue: { name: "urgent" } });
    const blocked = await newTask(h.ctx, { queue: { name: "urgent" } });
    await scheduleTask(h.ctx, running.id, SYSTEM);
    await startTask(h.ctx, running.id, EXECUTOR);
    await holdTask(h.ctx, held.id, OPERATOR);
    await scheduleTask(h.ctx, blocked.id, SYSTEM);
    await startTask(h.ctx, blocked.id, EXECUTOR);
    await blockTask(h.ctx, blocked.id, EXECUTOR, { reason: "Waiting for access" });

    // 1 h 45 after the first: `old` has 15 min left (at risk), the others 45 min (at risk too).
    h.clock.set(new Date(t0.getTime() + 105 * 60_000));
    let urgent = (await queueStats(h.ctx.prisma, h.clock)).find((s) => s.queue === "urgent");
    expect(urgent).toEqual({
      queue: "urgent",
      description: "P1, blocking bugs",
      slaMinutes: 120,
      capacity: 5,
      waiting: 1,
      scheduled: 1,
      inProgress: 1,
      onHold: 1,
      blocked: 1,
      oldestWaitingSince: old.queueEnteredAt.toISOString(),
      oldestWaitMinutes: 105,
      atRisk: 5,
      breached: 0,
    });
    h.clock.set(new Date(t0.getTime() + 125 * 60_000));
    urgent = (await queueStats(h.ctx.prisma, h.clock)).find((s) => s.queue === "urgent");
    expect([urgent?.atRisk, urgent?.breached]).toEqual([4, 1]);
  });

  it("lists all seven queues in order with their capacity", async () => {
    const stats = await queueStats(h.ctx.prisma, h.clock);
    expect(stats.map((s) => [s.queue, s.capacity])).toEqual([
      ["critical", 3],
      ["urgent", 5],
      ["high_priority", 20],
      ["normal", 50],
      ["low_priority", 100],
      ["backlog", null],
      ["scheduled", 50],
    ]);
  });
});

describe("queueWaitingList", () => {
  it("lists waiting tasks in dispatch order with positions and blocker status", async () => {
    const low = await newTask(h.ctx, { queue: { name: "low_priority" }, priority: { score: 30 } });
    const high = await newTask(h.ctx, { queue: { name: "low_priority" }, priority: { score: 35 } });
    const dependent = await newTask(h.ctx, {
      queue: { name: "low_priority" },
      priority: { score: 32 },
      dependencies: { blocked_by: [low.id] },
    });
    const list = await queueWaitingList(h.ctx.prisma, "low_priority");
    expect(list.map((t) => [t.id, t.position, t.blockersDone])).toEqual([
      [high.id, 0, true],
      [dependent.id, 1, false],
      [low.id, 2, true],
    ]);
    await expectDomainError(queueWaitingList(h.ctx.prisma, "nowhere"), "NOT_FOUND");
  });

  it("pages by keyset: the pages after each page's last task make the whole list, positions and all", async () => {
    // A queue no other test here fills: the whole list is this test's tasks, in any test order.
    const ids: string[] = [];
    for (let i = 0; i < 13; i++) {
      // ties on score and entry time (same clock instant), so the id breaks them
      const task = await newTask(h.ctx, {
        queue: { name: "high_priority" },
        priority: { score: 40 + (i % 3) },
      });
      ids.push(task.id);
    }
    // a few manual ranks (drag-and-drop) ahead of the scored ones, one tie on rank
    await h.ctx.prisma.task.update({ where: { id: ids[5]! }, data: { rank: "a0" } });
    await h.ctx.prisma.task.update({ where: { id: ids[9]! }, data: { rank: "Zz" } });
    await h.ctx.prisma.task.update({ where: { id: ids[2]! }, data: { rank: "a0" } });
    const whole = await queueWaitingList(h.ctx.prisma, "high_priority");
    expect(whole.slice(0, 3).map((t) => t.id)).toEqual([ids[9], ids[2], ids[5]]);
    const paged: typeof whole = [];
    let after: string | undefined;
    for (;;) {
      const page = await queueWaitingList(h.ctx.prisma, "high_priority", { limit: 4, after });
      paged.push(...page);
      if (page.length < 4) break;
      after = page[page.length - 1]!.id;
    }
    expect(paged.map((t) => [t.id, t.position])).toEqual(whole.map((t) => [t.id, t.position]));
    expect(whole.map((t) => t.position)).toEqual(whole.map((_, i) => i));

    await h.ctx.prisma.task.update({ where: { id: ids[0]! }, data: { state: "CANCELLED" } });
    const error = await expectDomainError(
      queueWaitingList(h.ctx.prisma, "high_priority", { after: ids[0] }),
      "VALIDATION",
    );
    expect(JSON.stringify(error.details)).toContain("after");
    const message = `${ids[0]} is not waiting in high_priority: read the head of the list again`;
    expect(JSON.stringify(error.details)).toContain(message);
    expect(localizeMessage(message, "fr")).toBe(
      `${ids[0]} n'attend plus dans high_priority : relisez le début de la liste`,
    );
  });
});
