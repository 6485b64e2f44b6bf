import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/server/db/client";
import { ensureReferenceData } from "@/server/db/reference-data";
import { FakeClock } from "../clock";
import type { EngineContext } from "../context";
import { MANAGER } from "../state/test-support";
import { actOnEscalation } from "./inbox";
import { countOpenEscalations, listEscalations } from "./presenter";
import { runEscalationSweeps } from "./sweeps";
import { blockedTask } from "./test-helpers";

// The escalation SQL on embedded PGlite (the default database without DATABASE_URL): advisory
// try-lock, SKIP LOCKED, ON CONFLICT, the JSON context comparisons, the inbox order.

describe("escalations on embedded PGlite", () => {
  let db: Database;
  let ctx: EngineContext;
  let clock: FakeClock;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
    await ensureReferenceData(db.prisma);
    clock = new FakeClock("2026-03-03T08:00:00Z");
    ctx = { prisma: db.prisma, clock };
  });

  afterAll(async () => {
    await db?.close();
  });

  it("sweeps, lists, counts and acts", async () => {
    // Blocked on our side (not the client's): the SLA clock keeps running and breaches.
    const task = await blockedTask(ctx, { queue: "normal", reason: "Need prod access" });
    clock.advance(24 * 3_600_000 + 60_000);
    expect((await runEscalationSweeps(ctx)).byReason).toEqual({ blocked_over_24h: 1, sla_breached: 1 });
    expect((await runEscalationSweeps(ctx)).raised).toBe(0);
    const page = await listEscalations(db.prisma, { limit: 10 });
    expect(page.escalations.map((e) => e.escalation.reason)).toEqual(["sla_breached", "blocked_over_24h"]);
    expect((await countOpenEscalations(db.prisma, clock.now())).open).toBe(2);
    const blocked = page.escalations[1]!;
    const view = await actOnEscalation(ctx, blocked.id, { action: "unblock", expected_version: 1 }, MANAGER);
    expect([view.status, view.task.state]).toEqual(["RESOLVED", "UNBLOCKED"]);
    const cancelled = await actOnEscalation(
      ctx,
      page.escalations[0]!.id,
      { action: "cancel", reason: "Too late" },
      MANAGER,
    );
    expect([cancelled.status, cancelled.task.state]).toEqual(["RESOLVED", "CANCELLED"]);
    expect((await countOpenEscalations(db.prisma, clock.now())).open).toBe(0);
    expect(await db.prisma.escalation.count({ where: { taskId: task.id } })).toBe(2);
  });
});
