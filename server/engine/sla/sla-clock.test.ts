import { beforeEach, describe, expect, it } from "vitest";
import { resetTables } from "../escalation/test-helpers";
import { blockTask, holdTask, releaseTask, resumeTask, unblockTask } from "../state/blocker-handler";
import { addDependency } from "../state/dependencies";
import { completeTask, scheduleTask, startTask } from "../state/lifecycle";
import {
  ADMIN,
  EXECUTOR,
  expectDomainError,
  MANAGER,
  newTask,
  OPERATOR,
  SYSTEM,
  setupEngine,
} from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { collectMetrics } from "../tracking/metrics-collector";
import type { BusinessCalendar } from "./business-hours";
import { refreshSlaClocks } from "./refresh-sla";
import { getSlaPolicy, putSlaPolicy, type SlaPolicyInput } from "./sla-policy";

// SLA clock policies (issue 11, item 1) on real PostgreSQL with the fake clock (Monday 2 March
// 2026, 09:00 UTC).

const h = setupEngine();
const HOUR = 3_600_000;
const refresh = (taskIds?: string[]) =>
  inTransaction(h.ctx, async (tx, at) => (await refreshSlaClocks(tx, at, { taskIds })).changed);
const row = (id: string) => h.ctx.prisma.task.findUniqueOrThrow({ where: { id } });

const DEFAULTS: SlaPolicyInput = {
  pause_states: ["ON_HOLD"],
  pause_on_client_block: true,
  client_blocker_keywords: ["client", "customer"],
  pause_while_waiting_on_blockers: true,
  clock_starts: "entry",
  calendar: null,
};
const PARIS_OFFICE: BusinessCalendar = {
  time_zone: "Europe/Paris",
  hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" }],
  holidays: [],
};

beforeEach(async () => {
  await resetTables(h.ctx);
  await h.ctx.prisma.slaPolicy.deleteMany();
  h.clock.set("2026-03-02T09:00:00Z");
});

async function running(queue = "normal") {
  const task = await newTask(h.ctx, { queue: { name: queue as "normal" } });
  await scheduleTask(h.ctx, task.id, SYSTEM);
  await startTask(h.ctx, task.id, EXECUTOR);
  return task;
}

describe("pauses", () => {
  it("a task BLOCKED on the client for 3 h keeps its remaining SLA", async () => {
    const task = await running(); // normal: 24 h
    const original = task.slaDeadline!;
    h.clock.advanceHours(2);
    await blockTask(h.ctx, task.id, MANAGER, { reason: "Attente validation client" });
    h.clock.advanceHours(3);
    expect(await refresh([task.id])).toEqual([task.id]);
    expect(await row(task.id)).toMatchObject({ slaPaused: true, slaDeadline: null, slaElapsedMs: 2 * HOUR });
    await unblockTask(h.ctx, task.id, MANAGER);
    await resumeTask(h.ctx, task.id, SYSTEM);
    await refresh([task.id]);
    const after = await row(task.id);
    expect(after).toMatchObject({ slaPaused: false, slaElapsedMs: 2 * HOUR });
    expect(after.slaDeadline).toEqual(new Date(original.getTime() + 3 * HOUR)); // 22 h left, as before
  });

  it("blocked for a reason of ours, the clock runs on", async () => {
    const task = await running();
    await blockTask(h.ctx, task.id, MANAGER, { reason: "Need prod access" });
    h.clock.advanceHours(3);
    await refresh([task.id]);
    expect(await row(task.id)).toMatchObject({ slaPaused: false, slaDeadline: task.slaDeadline });
  });

  it("ON_HOLD pauses; a queue whose policy says otherwise does not", async () => {
    const held = await newTask(h.ctx, { queue: { name: "normal" } });
    const other = await newTask(h.ctx, { queue: { name: "urgent" } });
    await putSlaPolicy(h.ctx, "urgent", { ...DEFAULTS, pause_states: [] }, ADMIN);
    await holdTask(h.ctx, held.id, OPERATOR);
    await holdTask(h.ctx, other.id, OPERATOR);
    h.clock.advanceHours(1);
    await refresh();
    await releaseTask(h.ctx, held.id, OPERATOR);
    await refresh();
    expect((await row(held.id)).slaDeadline).toEqual(new Date(held.slaDeadline!.getTime() + HOUR));
    expect(await row(other.id)).toMatchObject({ slaPaused: false, slaDeadline: other.slaDeadline });
  });

  it("a chain's later task does not burn SLA while its blocker runs", async () => {
    const first = await running("urgent"); // 2 h
    const second = await newTask(h.ctx, { queue: { name: "urgent" } });
    await addDependency(h.ctx, second.id, first.id, OPERATOR);
    h.clock.advanceHours(1.5);
    await refresh();
    expect(await row(second.id)).toMatchObject({ slaPaused: true, slaDeadline: null });
    await completeTask(h.ctx, first.id, EXECUTOR);
    h.clock.advanceHours(0.5);
    await refresh();
    // Its 2 h started when the blocker completed, 30 min ago.
    expect((await row(second.id)).slaDeadline).toEqual(new Date(h.clock.now().getTime() + 1.5 * HOUR));
  });
});

describe("compliance", () => {
  it("the SLA compliance KPI uses the paused clock: 30 h on hold in a 24 h queue is not a breach", async () => {
    const start = h.clock.now();
    const held = await newTask(h.ctx, { queue: { name: "normal" } });
    const late = await newTask(h.ctx, { queue: { name: "normal" } });
    await holdTask(h.ctx, held.id, OPERATOR);
    h.clock.advanceHours(30);
    await refresh();
    await releaseTask(h.ctx, held.id, OPERATOR);
    await refresh();
    for (const t of [held, late]) {
      await scheduleTask(h.ctx, t.id, SYSTEM);
      await startTask(h.ctx, t.id, EXECUTOR);
    }
    const report = await collectMetrics(h.ctx, { from: start, to: new Date(h.clock.now().getTime() + 1) });
    // held: 0 h of clock used when it started; late: 30 h of its 24 h.
    expect(report.overall.slaCompliance).toMatchObject({ value: 50, count: 1, sample: 2 });
  });
});

describe("business hours", () => {
  it("a business-hours queue's deadline skips nights and weekends (and holidays)", async () => {
    await putSlaPolicy(h.ctx, "high_priority", { ...DEFAULTS, calendar: PARIS_OFFICE }, ADMIN); // 8 h
    h.clock.set("2026-03-06T15:00:00Z"); // Friday 16:00 in Paris: 2 h left today
    const task = await newTask(h.ctx, { queue: { name: "high_priority" } });
    await refresh([task.id]);
    expect((await row(task.id)).slaDeadline).toEqual(new Date("2026-03-09T14:00:00Z")); // Monday 15:00 Paris

    await putSlaPolicy(
      h.ctx,
      "high_priority",
      { ...DEFAULTS, calendar: { ...PARIS_OFFICE, holidays: ["2026-03-09"] } },
      ADMIN,
    );
    // No refresh needed: a policy change refreshes its queue's clocks at once.
    expect((await row(task.id)).slaDeadline).toEqual(new Date("2026-03-10T14:00:00Z")); // Tuesday
  });

  it("follows the time zone across a DST change", async () => {
    await putSlaPolicy(h.ctx, "high_priority", { ...DEFAULTS, calendar: PARIS_OFFICE }, ADMIN);
    h.clock.set("2026-03-27T16:00:00Z"); // Friday 17:00 CET: 1 h left today; Paris moves to CEST on the 29th
    const task = await newTask(h.ctx, { queue: { name: "high_priority" } });
    await refresh([task.id]);
    expect((await row(task.id)).slaDeadline).toEqual(new Date("2026-03-30T14:00:00Z")); // Monday 16:00 CEST
  });
});

describe("the policy as data", () => {
  it("defaults until an admin sets one; bad input is refused naming the field, nothing changed", async () => {
    expect(await getSlaPolicy(h.ctx.prisma, "normal")).toMatchObject({
      pause_states: ["ON_HOLD"],
      version: 0,
    });
    await putSlaPolicy(h.ctx, "normal", { ...DEFAULTS, calendar: PARIS_OFFICE }, ADMIN);
    const bad: [SlaPolicyInput, string][] = [
      [{ ...DEFAULTS, calendar: { ...PARIS_OFFICE, time_zone: "Mars/Olympus" } }, "calendar.time_zone"],
      [
        {
          ...DEFAULTS,
          calendar: {
            ...PARIS_OFFICE,
            hours: [...PARIS_OFFICE.hours, { days: ["wed"], from: "17:00", to: "20:00" }],
          },
        },
        "calendar.hours.1",
      ],
      [{ ...DEFAULTS, pause_states: ["ON_HOLD", "SLEEPING"] }, "pause_states.1"],
      [{ ...DEFAULTS, calendar: { ...PARIS_OFFICE, holidays: ["25/12"] } }, "calendar.holidays.0"],
    ];
    for (const [input, field] of bad) {
      const error = await expectDomainError(putSlaPolicy(h.ctx, "normal", input, ADMIN), "VALIDATION");
      expect(JSON.stringify(error.details)).toContain(field);
    }
    expect(await getSlaPolicy(h.ctx.prisma, "normal")).toMatchObject({ calendar: PARIS_OFFICE, version: 1 });
  });
});
