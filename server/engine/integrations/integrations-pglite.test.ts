import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/server/db/client";
import { ensureReferenceData } from "@/server/db/reference-data";
import { FakeClock } from "../clock";
import type { EngineContext } from "../context";
import { createTask } from "../queue/create-task";
import { sweepSchedules } from "../scheduling/schedule-sweep";
import { createSchedule } from "../scheduling/schedules";
import { commitTaskChange, lockTask } from "../state/commit-change";
import { ADMIN } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { archiveFinishedTasks } from "../tracking/archive";
import { sweepEventsToDeliveries } from "./delivery-sweep";
import { DeliveryWorker } from "./delivery-worker";
import { createSource, receiveInbound } from "./inbound";
import { type Receiver, startReceiver } from "./test-receiver";
import { createWebhook } from "./webhooks-out";

// The integrations' SQL on embedded PGlite (the default database without DATABASE_URL):
// advisory locks, SKIP LOCKED claims, UPDATE … FROM, the cursor, schedules and the archive.

describe("integrations on embedded PGlite", () => {
  let db: Database;
  let ctx: EngineContext;
  let clock: FakeClock;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
    await ensureReferenceData(db.prisma);
    clock = new FakeClock("2026-03-02T09:00:00Z");
    ctx = { prisma: db.prisma, clock };
    receiver = await startReceiver();
  }, 60_000);

  afterAll(async () => {
    await receiver?.close();
    await db?.close();
  });

  it("sweeps events into signed deliveries and sends them", async () => {
    await sweepEventsToDeliveries(ctx);
    const { secret } = await createWebhook(ctx, { url: receiver.url, event_types: ["task.*"] }, ADMIN);
    const task = await createTask(ctx, { definition: { title: "On PGlite" } }, ADMIN);
    const sweeps = await Promise.all([sweepEventsToDeliveries(ctx), sweepEventsToDeliveries(ctx)]);
    expect(sweeps.reduce((n, s) => n + s.deliveries, 0)).toBe(1);
    expect(await new DeliveryWorker(ctx).runOnce()).toMatchObject({ claimed: 1, succeeded: 1 });
    const [request] = await receiver.waitFor(1);
    const message = new Webhook(secret as string).verify(request?.body ?? "", {
      "webhook-id": String(request?.headers["webhook-id"]),
      "webhook-timestamp": String(request?.headers["webhook-timestamp"]),
      "webhook-signature": String(request?.headers["webhook-signature"]),
    });
    expect(message).toMatchObject({ type: "task.created", data: { task: { id: task.id } } });
  });

  it("receives a signed inbound message once", async () => {
    const { secret } = await createSource(ctx, { name: "pglite" }, ADMIN);
    const body = JSON.stringify({
      type: "task.create",
      data: { definition: { title: "Inbound on PGlite" } },
    });
    const at = new Date();
    const headers = new Headers({
      "webhook-id": "msg_pglite",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret as string).sign("msg_pglite", at, body),
    });
    const first = await receiveInbound(ctx, "pglite", body, headers);
    const again = await receiveInbound(ctx, "pglite", body, headers);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.taskIds).toEqual(first.taskIds);
  });

  it("runs a due schedule and archives old finished tasks", async () => {
    const schedule = await createSchedule(
      ctx,
      {
        name: "Daily",
        cron: "0 9 * * *",
        timezone: "Europe/Paris",
        task: { definition: { title: "Daily" } },
      },
      ADMIN,
    );
    clock.set("2026-03-03T08:00:30Z");
    const [run] = await sweepSchedules(ctx);
    expect(run).toMatchObject({ scheduleId: schedule.id, outcome: "ran" });

    const done = await createTask(ctx, { definition: { title: "Done long ago" } }, ADMIN);
    await inTransaction(ctx, async (tx, now) => {
      const locked = await lockTask(tx, done.id);
      await commitTaskChange(tx, locked, {
        at: now,
        actor: ADMIN,
        action: "task.transitioned",
        toState: "CANCELLED",
      });
    });
    clock.advanceHours(31 * 24);
    expect(await archiveFinishedTasks(ctx)).toContain(done.id);
  });
});
