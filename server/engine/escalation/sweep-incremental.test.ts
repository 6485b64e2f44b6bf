import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EngineContext } from "../context";
import { scheduleTask, startTask } from "../state/lifecycle";
import { setupLoggedPrisma } from "../state/logged-prisma";
import { EXECUTOR, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { FULL_PASS_MS } from "./sweep-changes";
import { runEscalationSweeps } from "./sweeps";
import { escalationsOf, resetTables } from "./test-helpers";

// A sweep pass costs what changed since the last one (sweep-changes.ts): told by the statements
// it sends, not by time. The forecast's statement names the queues it reads; the SLA clock
// refresh names the tasks (or walks all of them when it names none).

const h = setupEngine();
const MINUTE = 60_000;
const logged = setupLoggedPrisma(h);
const { sent } = logged;
let ctx: EngineContext;

beforeAll(() => {
  ctx = { prisma: logged.prisma, clock: h.clock };
});

beforeEach(async () => {
  await resetTables(h.ctx);
});

/** One pass, and the queues its forecast read and the task ids its clock refresh named. */
async function pass() {
  sent.length = 0;
  const result = await runEscalationSweeps(ctx);
  const forecastQueues = sent
    .filter((s) => s.query.includes("AS eligible"))
    .flatMap((s) => s.params[0] as string[])
    .sort();
  const refreshes = sent.filter((s) => s.query.includes('q.sla_minutes AS "slaMinutes"'));
  return {
    result,
    forecastQueues,
    refreshedIds: refreshes.flatMap((s) => (s.params[0] as string[] | null) ?? ["<every live task>"]).sort(),
  };
}

const task = (queue: "critical" | "urgent", hours: number) =>
  newTask(h.ctx, { queue: { name: queue }, execution: { estimated_duration_hours: hours } });

describe("an incremental sweep pass", () => {
  it("forecasts again only the queue that changed, and still raises the imminent SLA there", async () => {
    const other = await task("urgent", 0.25); // 2 h SLA: within the hour 65 min later
    h.clock.advance(65 * MINUTE);
    const atRisk = await task("critical", 0.25); // 1 h SLA, a free slot: makes it for now

    const first = await pass();
    expect(first.result.raised).toBe(0);
    expect(first.forecastQueues).toEqual(expect.arrayContaining(["critical", "normal", "urgent"]));
    expect(first.refreshedIds).toContain("<every live task>");

    h.clock.advance(MINUTE);
    const quiet = await pass();
    expect(quiet.result).toMatchObject({ raised: 0, skipped: false });
    expect(quiet.forecastQueues).toEqual([]);
    expect(quiet.refreshedIds).toEqual([]);

    // Three long tasks take the critical queue's three slots: the waiting one will now miss.
    const ahead = [await task("critical", 2), await task("critical", 2), await task("critical", 2)];
    for (const t of ahead) {
      await scheduleTask(h.ctx, t.id, SYSTEM);
      await startTask(h.ctx, t.id, EXECUTOR);
    }
    h.clock.advance(MINUTE);
    const changed = await pass();
    expect(changed.forecastQueues).toEqual(["critical"]);
    expect(changed.refreshedIds).toEqual(ahead.map((t) => t.id).sort());
    expect(await escalationsOf(h.ctx, atRisk.id, "sla_breach_imminent")).toHaveLength(1);
    expect(await escalationsOf(h.ctx, other.id)).toEqual([]);
  });

  it("sees a change that wrote no event at the next full pass", async () => {
    const waiting = await task("urgent", 0.25);
    h.clock.advance(65 * MINUTE);
    expect((await pass()).result.raised).toBe(0);
    // Behind the engine's back: no event, so no pass before the full one knows.
    await h.ctx.prisma.$executeRaw`UPDATE queues SET capacity = 0 WHERE name = 'urgent'`;
    try {
      h.clock.advance(MINUTE);
      const quiet = await pass();
      expect(quiet.forecastQueues).toEqual([]);
      h.clock.advance(FULL_PASS_MS);
      const full = await pass();
      expect(full.forecastQueues).toContain("urgent");
      expect(await escalationsOf(h.ctx, waiting.id, "sla_breach_imminent")).toHaveLength(1);
    } finally {
      await h.ctx.prisma.$executeRaw`UPDATE queues SET capacity = 5 WHERE name = 'urgent'`;
    }
  });
});
