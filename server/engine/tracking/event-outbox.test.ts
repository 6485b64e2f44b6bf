import { describe, expect, it } from "vitest";
import { sweepEventsToDeliveries } from "../integrations/delivery-sweep";
import { createWebhook } from "../integrations/webhooks-out";
import { ADMIN, newTask, setupEngine } from "../state/test-support";
import { pruneDeliveredEvents } from "./event-outbox";

// The events outbox is pruned only of rows nothing may still ask for: not before the delivery
// sweep read them (nor inside one of its gaps), not while a delivery made from them is pending,
// and never within the reconnect window (EVENTS_RETENTION_HOURS).

const h = setupEngine();

const eventIds = async () =>
  (await h.ctx.prisma.event.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((e) => e.id);

describe("event outbox pruning", () => {
  it("keeps every event a client or the delivery sweep may still ask for, and prunes the rest", async () => {
    await createWebhook(h.ctx, { url: "http://127.0.0.1:9/hook", event_types: ["task.created"] }, ADMIN);
    const early = await newTask(h.ctx);
    await newTask(h.ctx);
    const before = await eventIds();
    expect(before.length).toBeGreaterThanOrEqual(2);

    // Within the reconnect window: kept, even once swept and delivered.
    expect(await pruneDeliveredEvents(h.ctx, { retentionHours: 24 })).toBe(0);

    // Past the window but not swept yet (the subscription starts before them): kept.
    h.clock.advanceHours(25);
    expect(await pruneDeliveredEvents(h.ctx, { retentionHours: 24 })).toBe(0);
    expect(await eventIds()).toEqual(before);

    // Swept: the task.created events now have pending deliveries and stay; the others may go.
    await sweepEventsToDeliveries(h.ctx);
    const pending = await h.ctx.prisma.webhookDelivery.findMany({ select: { eventId: true } });
    expect(pending.length).toBe(2);
    await pruneDeliveredEvents(h.ctx, { retentionHours: 24 });
    const afterSweep = await eventIds();
    for (const { eventId } of pending) expect(afterSweep).toContain(eventId);
    expect(afterSweep.length).toBe(pending.length);

    // A gap of the sweep (ids it skipped while uncommitted) is kept even when old and delivered.
    await h.ctx.prisma.webhookDelivery.updateMany({
      data: { status: "succeeded", completedAt: h.clock.now() },
    });
    const [gapId] = afterSweep;
    await h.ctx.prisma.webhookCursor.update({
      where: { name: "outbound" },
      data: { gaps: [[String(gapId), String(gapId), h.clock.now().getTime()]] },
    });
    await pruneDeliveredEvents(h.ctx, { retentionHours: 24 });
    expect(await eventIds()).toEqual(afterSweep.filter((id) => id >= (gapId as bigint)));

    // Gap closed, deliveries done, past the window: nothing needs them any more.
    await h.ctx.prisma.webhookCursor.update({ where: { name: "outbound" }, data: { gaps: [] } });
    expect(await pruneDeliveredEvents(h.ctx, { retentionHours: 24 })).toBe(afterSweep.length);

    // New changes are young again: kept, and the task keeps its full history and audit.
    await h.ctx.prisma.task.update({ where: { id: early.id }, data: { title: "touched" } });
    const fresh = await newTask(h.ctx);
    await sweepEventsToDeliveries(h.ctx);
    await h.ctx.prisma.webhookDelivery.updateMany({
      data: { status: "succeeded", completedAt: h.clock.now() },
    });
    expect(await pruneDeliveredEvents(h.ctx, { retentionHours: 24 })).toBe(0);
    expect((await h.ctx.prisma.event.findMany({ where: { taskId: fresh.id } })).length).toBeGreaterThan(0);
    expect(await h.ctx.prisma.auditLog.count({ where: { taskId: early.id } })).toBeGreaterThan(0);
    expect(await h.ctx.prisma.taskStateHistory.count({ where: { taskId: early.id } })).toBeGreaterThan(0);
  });
});
