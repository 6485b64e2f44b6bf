import { describe, expect, it } from "vitest";
import { BOARD_TERMINAL_RECENT } from "@/lib/board";
import type { Task } from "../../db/generated/client";
import { ESCALATION_ACTOR, raiseEscalation } from "../escalation/raise";
import { insertQueuedTasks } from "../execution/testing/support";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { queueWaitingList } from "../queue/stats";
import { forceState, newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { boardCard, boardSnapshot } from "./board";

// The board's cards carry the urgency of their task's most urgent open escalation.

const h = setupEngine();

describe("board cards", () => {
  it("show the most urgent open escalation's urgency, none once it is resolved", async () => {
    const task = await newTask(h.ctx);
    const calm = await newTask(h.ctx);
    const raise = (reason: "sla_breach_imminent" | "blocked_over_24h", urgency: "medium" | "critical") =>
      inTransaction(h.ctx, (tx, at) =>
        raiseEscalation(tx, at, { task, reason, context: {}, urgency }, ESCALATION_ACTOR),
      );
    await raise("sla_breach_imminent", "medium");
    const { escalation } = await raise("blocked_over_24h", "critical");
    expect((await boardCard(h.ctx.prisma, task.id))?.escalationUrgency).toBe("critical");
    const cards = (await boardSnapshot(h.ctx.prisma, h.clock)).cards;
    expect(cards.find((c) => c.id === task.id)?.escalationUrgency).toBe("critical");
    expect(cards.find((c) => c.id === calm.id)?.escalationUrgency).toBeNull();

    await h.ctx.prisma.escalation.update({
      where: { id: escalation.id },
      data: { status: "RESOLVED", openKey: null },
    });
    expect((await boardCard(h.ctx.prisma, task.id))?.escalationUrgency).toBe("medium");
  });
});

// The board by pages equals the full ordering: the waiting column in queue order then live
// position (counted among waiting rows only), and one card's lookup gives the same position.
describe("board pages", () => {
  it("give every column in the full order, and each card's lookup the same position", async () => {
    const queues = ["urgent", "normal", "low_priority"] as const;
    const made: Task[] = [];
    for (let i = 0; i < 23; i++) {
      made.push(
        await newTask(h.ctx, {
          queue: { name: queues[i % queues.length] },
          priority: { score: (i * 37) % 100 },
        }),
      );
    }
    // Finished and other live tasks in the same queues must not count in the waiting positions.
    for (const [i, task] of made.slice(0, 6).entries()) {
      await forceState(h.ctx, task.id, i % 2 ? "COMPLETED" : "ON_HOLD", { rank: i % 3 ? null : "a0" });
    }
    const full = await h.ctx.prisma.$queryRawUnsafe<{ id: string; queue_name: string }[]>(
      `SELECT t.id, t.queue_name FROM tasks t JOIN queues q ON q.name = t.queue_name
       WHERE t.state = 'QUEUED' ORDER BY q.sort_order, ${WAITING_ORDER_SQL}`,
    );
    const expected = full.map((row) => ({
      id: row.id,
      position: full.filter((r) => r.queue_name === row.queue_name).indexOf(row),
    }));

    const paged: { id: string; position: number | null }[] = [];
    let cursor: number | undefined;
    do {
      const page = await boardSnapshot(h.ctx.prisma, h.clock, { state: "QUEUED", cursor, limit: 4 });
      paged.push(...page.cards.map((c) => ({ id: c.id, position: c.position })));
      const next = page.columns[0]?.nextCursor;
      cursor = next ? Number(next) : undefined;
      expect(page.counts.QUEUED).toBe(expected.length);
    } while (cursor !== undefined);
    expect(paged).toEqual(expected);
    for (const { id, position } of expected) {
      expect((await boardCard(h.ctx.prisma, id))?.position).toBe(position);
    }

    const first = await boardSnapshot(h.ctx.prisma, h.clock, { limit: 2 });
    expect(first.cards.filter((c) => c.state === "QUEUED").map((c) => c.id)).toEqual(
      expected.slice(0, 2).map((e) => e.id),
    );
    expect(first.columns.find((c) => c.state === "COMPLETED")).toEqual({
      state: "COMPLETED",
      total: 3,
      nextCursor: "2",
    });
    expect(first.counts.ON_HOLD).toBe(3);

    // Filters are the server's: a filtered column pages and counts the matching cards only,
    // with the positions of the unfiltered queue.
    const urgent = expected.filter((e) => made.find((t) => t.id === e.id)?.queueName === "urgent");
    const filtered = await boardSnapshot(h.ctx.prisma, h.clock, {
      state: "QUEUED",
      queue: "urgent",
      limit: 100,
    });
    expect(filtered.cards.map((c) => ({ id: c.id, position: c.position }))).toEqual(urgent);
    expect(filtered.counts.QUEUED).toBe(urgent.length);
    // The /queues lane reads the head of its waiting list: the same positions.
    const normal = expected.filter((e) => made.find((t) => t.id === e.id)?.queueName === "normal");
    const head = await queueWaitingList(h.ctx.prisma, "normal", { limit: 2 });
    expect(head.map((t) => ({ id: t.id, position: t.position }))).toEqual(normal.slice(0, 2));
    const one = made[20]!;
    const searched = await boardSnapshot(h.ctx.prisma, h.clock, { q: one.id.slice(-6) });
    expect(searched.cards.map((c) => c.id)).toEqual([one.id]);
    expect(Object.values(searched.counts).reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe("finished columns", () => {
  it("hold only their most recent cards, however many tasks finished", async () => {
    const over = BOARD_TERMINAL_RECENT + 5;
    const ids = await insertQueuedTasks(
      h.ctx,
      Array.from({ length: over }, () => ({ queue: "backlog" })),
      800_001,
    );
    try {
      await h.db.prisma.$executeRawUnsafe(
        `UPDATE tasks SET state = 'COMPLETED', previous_state = 'QUEUED', completed_at = now() WHERE id = ANY($1)`,
        ids,
      );
      const first = await boardSnapshot(h.ctx.prisma, h.clock, {});
      expect(first.counts.COMPLETED).toBe(BOARD_TERMINAL_RECENT);
      let loaded = first.cards.filter((c) => c.state === "COMPLETED").length;
      let cursor = first.columns.find((c) => c.state === "COMPLETED")?.nextCursor;
      while (cursor) {
        const page = await boardSnapshot(h.ctx.prisma, h.clock, {
          state: "COMPLETED",
          cursor: Number(cursor),
        });
        loaded += page.cards.length;
        cursor = page.columns[0]?.nextCursor;
      }
      expect(loaded).toBe(BOARD_TERMINAL_RECENT);
    } finally {
      // The other tests of this file count the finished column too.
      await h.db.prisma.$executeRawUnsafe("DELETE FROM tasks WHERE id = ANY($1)", ids);
    }
  });
});

describe("the at-risk board (the wall's list)", () => {
  it("holds the live tasks with less than an hour of SLA left or past it, and counts them", async () => {
    const soon = await newTask(h.ctx);
    const late = await newTask(h.ctx);
    const calm = await newTask(h.ctx);
    const at = h.clock.now().getTime();
    await forceState(h.ctx, soon.id, "QUEUED", { slaDeadline: new Date(at + 30 * 60_000) });
    await forceState(h.ctx, late.id, "BLOCKED", { slaDeadline: new Date(at - 60_000) });
    await forceState(h.ctx, calm.id, "QUEUED", { slaDeadline: new Date(at + 2 * 3_600_000) });
    const board = await boardSnapshot(h.ctx.prisma, h.clock, { at_risk: "true" });
    const ids = board.cards.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([soon.id, late.id]));
    expect(ids).not.toContain(calm.id);
    expect(board.counts.QUEUED + board.counts.BLOCKED).toBe(ids.length);
  });
});
