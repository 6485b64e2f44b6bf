import { describe, expect, it } from "vitest";
import { ADMIN, expectDomainError, OPERATOR, setupEngine } from "../state/test-support";
import { runDueSchedule, sweepSchedules } from "./schedule-sweep";
import { createSchedule, deleteSchedule, getSchedule, runScheduleNow, updateSchedule } from "./schedules";

// Recurring schedules on a real PostgreSQL with a fake clock: occurrences in a time zone, runs
// once across racing sweeps, the missed-run policies after a simulated downtime, failures.

const h = setupEngine({ poolSize: 8 });

const weekdays9Paris = {
  cron: "0 9 * * 1-5",
  timezone: "Europe/Paris",
  template_id: "ecommerce-redesign",
  template_params: { context: { client: { name: "StartupIO" } } },
};

async function auditOf(scheduleId: string, action: string) {
  return h.db.prisma.auditLog.findMany({
    where: { action, details: { path: ["schedule_id"], equals: scheduleId } },
    orderBy: { id: "asc" },
  });
}

describe("schedules", () => {
  it("computes next_run_at in the schedule's zone and runs the template's chain when due", async () => {
    h.clock.set("2026-03-02T09:00:00Z"); // Monday, 10:00 in Paris
    const schedule = await createSchedule(h.ctx, { name: "Weekly redesign", ...weekdays9Paris }, OPERATOR);
    expect(schedule).toMatchObject({
      next_run_at: "2026-03-03T08:00:00.000Z",
      upcoming: ["2026-03-03T08:00:00.000Z", "2026-03-04T08:00:00.000Z", "2026-03-05T08:00:00.000Z"],
      missed_run_policy: "catch_up_once",
      enabled: true,
      version: 1,
    });
    expect(await sweepSchedules(h.ctx)).toEqual([]);

    h.clock.set("2026-03-03T08:00:20Z");
    const [run] = (await sweepSchedules(h.ctx)).filter((r) => r.scheduleId === schedule.id);
    expect(run).toMatchObject({ outcome: "ran", missed: 0, occurrence: new Date("2026-03-03T08:00:00Z") });
    expect(run?.taskIds).toHaveLength(3);
    const tasks = await h.db.prisma.task.findMany({
      where: { id: { in: run?.taskIds } },
      orderBy: { id: "asc" },
    });
    expect(tasks.map((t) => [t.title, t.clientName, t.updatedBy.startsWith("schedule:sch_")])).toEqual([
      ["Brief analysis", "StartupIO", true],
      ["Tech scoping", "StartupIO", true],
      ["Architecture", "StartupIO", true],
    ]);
    const after = await getSchedule(h.ctx, schedule.id);
    expect(after).toMatchObject({
      next_run_at: "2026-03-04T08:00:00.000Z",
      last_run_at: "2026-03-03T08:00:20.000Z",
      last_run_task_ids: run?.taskIds,
      run_count: 1,
    });
    const [audit] = await auditOf(schedule.id, "schedule.run");
    expect(audit?.details).toMatchObject({
      trigger: "cron",
      missed: 0,
      occurrence: "2026-03-03T08:00:00.000Z",
    });
    expect(await sweepSchedules(h.ctx)).toEqual([]);
    await deleteSchedule(h.ctx, schedule.id, ADMIN);
  });

  it("runs a due schedule once when several instances sweep at the same time", async () => {
    h.clock.set("2026-03-02T09:00:00Z");
    const schedule = await createSchedule(h.ctx, { name: "Race", ...weekdays9Paris }, OPERATOR);
    h.clock.set("2026-03-03T08:00:05Z");
    const rounds = await Promise.all([
      sweepSchedules(h.ctx),
      sweepSchedules(h.ctx),
      runDueSchedule(h.ctx, schedule.id),
      sweepSchedules(h.ctx),
    ]);
    const runs = rounds.flat().filter((r) => r?.scheduleId === schedule.id);
    expect(runs).toHaveLength(1);
    expect((await getSchedule(h.ctx, schedule.id)).run_count).toBe(1);
    await deleteSchedule(h.ctx, schedule.id, ADMIN);
  });

  it("catch_up_once: one run for every occurrence missed during a downtime, the count audited", async () => {
    h.clock.set("2026-03-04T10:00:00Z"); // Wednesday
    const schedule = await createSchedule(h.ctx, { name: "Catch up", ...weekdays9Paris }, OPERATOR);
    expect(schedule.next_run_at).toBe("2026-03-05T08:00:00.000Z");
    // The servers are down from Wednesday to Monday noon: Thu, Fri and Mon 09:00 Paris missed.
    h.clock.set("2026-03-09T12:00:00Z");
    const [run] = (await sweepSchedules(h.ctx)).filter((r) => r.scheduleId === schedule.id);
    expect(run).toMatchObject({ outcome: "ran", missed: 2, occurrence: new Date("2026-03-09T08:00:00Z") });
    expect(run?.taskIds).toHaveLength(3);
    const [audit] = await auditOf(schedule.id, "schedule.run");
    expect(audit?.details).toMatchObject({
      policy: "catch_up_once",
      missed: 2,
      first_due: "2026-03-05T08:00:00.000Z",
      next_run_at: "2026-03-10T08:00:00.000Z",
    });
    expect((await getSchedule(h.ctx, schedule.id)).next_run_at).toBe("2026-03-10T08:00:00.000Z");
    await deleteSchedule(h.ctx, schedule.id, ADMIN);
  });

  it("skip: missed occurrences are dropped; a late-but-within-grace one still runs", async () => {
    h.clock.set("2026-03-04T10:00:00Z");
    const skipped = await createSchedule(
      h.ctx,
      { name: "Skip", ...weekdays9Paris, missed_run_policy: "skip" },
      OPERATOR,
    );
    const hourly = await createSchedule(
      h.ctx,
      {
        name: "Hourly skip",
        cron: "0 * * * *",
        missed_run_policy: "skip",
        task: { definition: { title: "Hourly check", type: "ops" }, queue: { name: "normal" } },
      },
      OPERATOR,
    );
    expect(hourly.timezone).toBe("UTC");
    h.clock.set("2026-03-09T12:02:00Z");
    const outcomes = await sweepSchedules(h.ctx);
    const day = outcomes.find((r) => r.scheduleId === skipped.id);
    expect(day).toMatchObject({ outcome: "skipped", missed: 3, taskIds: [] });
    const [audit] = await auditOf(skipped.id, "schedule.skipped");
    expect(audit?.details).toMatchObject({ policy: "skip", missed: 3 });
    expect((await getSchedule(h.ctx, skipped.id)).next_run_at).toBe("2026-03-10T08:00:00.000Z");

    // The hourly one: 12:00 is 2 minutes late (within grace): it runs; the 100-odd before are skipped.
    const hour = outcomes.find((r) => r.scheduleId === hourly.id);
    expect(hour).toMatchObject({ outcome: "ran", occurrence: new Date("2026-03-09T12:00:00Z") });
    expect(hour?.missed).toBe(5 * 24 + 1); // Wed 11:00 … Mon 11:00
    expect(hour?.taskIds).toHaveLength(1);
    await deleteSchedule(h.ctx, skipped.id, ADMIN);
    await deleteSchedule(h.ctx, hourly.id, ADMIN);
  });

  it("records a run the engine refuses and moves on; the other schedules still run", async () => {
    h.clock.set("2026-03-10T09:30:00Z");
    const broken = await createSchedule(
      h.ctx,
      {
        name: "Broken",
        cron: "*/15 * * * *",
        task: {
          definition: { title: "Waits for a ghost" },
          dependencies: { blocked_by: ["TASK-1999-000001"] },
        },
      },
      OPERATOR,
    );
    const fine = await createSchedule(
      h.ctx,
      { name: "Fine", cron: "*/15 * * * *", task: { definition: { title: "Fine" } } },
      OPERATOR,
    );
    h.clock.set("2026-03-10T09:45:10Z");
    const outcomes = await sweepSchedules(h.ctx);
    expect(outcomes.find((r) => r.scheduleId === broken.id)).toMatchObject({ outcome: "failed" });
    expect(outcomes.find((r) => r.scheduleId === fine.id)).toMatchObject({ outcome: "ran" });
    const after = await getSchedule(h.ctx, broken.id);
    expect(after.last_error).toMatch(/TASK-1999-000001 does not exist/);
    expect(after.next_run_at).toBe("2026-03-10T10:00:00.000Z");
    expect(await auditOf(broken.id, "schedule.failed")).toHaveLength(1);
    await expectDomainError(runScheduleNow(h.ctx, broken.id, OPERATOR), "VALIDATION");
    await deleteSchedule(h.ctx, broken.id, ADMIN);
    await deleteSchedule(h.ctx, fine.id, ADMIN);
  });

  it("runs now on demand, disabled or not, without moving the next occurrence", async () => {
    h.clock.set("2026-03-10T10:00:00Z");
    const schedule = await createSchedule(
      h.ctx,
      { name: "On demand", ...weekdays9Paris, enabled: false },
      OPERATOR,
    );
    expect(schedule).toMatchObject({ next_run_at: null, upcoming: [] });
    const { schedule: after, taskIds } = await runScheduleNow(h.ctx, schedule.id, OPERATOR);
    expect(taskIds).toHaveLength(3);
    expect(after).toMatchObject({ run_count: 1, last_run_at: "2026-03-10T10:00:00.000Z", next_run_at: null });
    const [audit] = await auditOf(schedule.id, "schedule.run");
    expect(audit).toMatchObject({ actor: OPERATOR.id, details: { trigger: "manual" } });
    h.clock.set("2026-03-20T10:00:00Z");
    expect((await sweepSchedules(h.ctx)).filter((r) => r.scheduleId === schedule.id)).toEqual([]);
    await deleteSchedule(h.ctx, schedule.id, ADMIN);
  });

  it("edits: a new cron or zone or enabling recomputes next_run_at; a stale version is refused", async () => {
    h.clock.set("2026-03-10T10:00:00Z");
    const schedule = await createSchedule(h.ctx, { name: "Edit me", ...weekdays9Paris }, OPERATOR);
    const moved = await updateSchedule(
      h.ctx,
      schedule.id,
      { expected_version: 1, timezone: "America/New_York", cron: "30 8 * * *" },
      OPERATOR,
    );
    expect(moved).toMatchObject({ version: 2, next_run_at: "2026-03-10T12:30:00.000Z" });
    await expectDomainError(
      updateSchedule(h.ctx, schedule.id, { expected_version: 1, name: "x" }, OPERATOR),
      "STALE_VERSION",
    );
    const off = await updateSchedule(h.ctx, schedule.id, { enabled: false }, OPERATOR);
    expect(off.next_run_at).toBeNull();
    h.clock.set("2026-03-15T10:00:00Z");
    const on = await updateSchedule(h.ctx, schedule.id, { enabled: true }, OPERATOR);
    expect(on.next_run_at).toBe("2026-03-15T12:30:00.000Z"); // from now: no catch-up of the time it was off
    const toTask = await updateSchedule(
      h.ctx,
      schedule.id,
      { task: { definition: { title: "Daily standup notes" } } },
      OPERATOR,
    );
    expect(toTask).toMatchObject({
      template_id: null,
      template_params: null,
      task: { definition: { title: "Daily standup notes" } },
    });
    const fields = async (p: Promise<unknown>) =>
      (await expectDomainError(p, "VALIDATION")).details.fields?.map((f) => f.path);
    expect(await fields(updateSchedule(h.ctx, schedule.id, { cron: "0 25 * * *" }, OPERATOR))).toEqual([
      "cron",
    ]);
    expect(await fields(updateSchedule(h.ctx, schedule.id, { timezone: "Paris" }, OPERATOR))).toEqual([
      "timezone",
    ]);
    expect(await fields(updateSchedule(h.ctx, schedule.id, { template_params: {} }, OPERATOR))).toEqual([
      "template_params",
    ]);
    expect(await auditOf(schedule.id, "schedule.updated")).toHaveLength(4);
    await deleteSchedule(h.ctx, schedule.id, ADMIN);
    await expectDomainError(getSchedule(h.ctx, schedule.id), "NOT_FOUND");
  });

  it("refuses a bad cron, zone or template at creation, naming the field", async () => {
    const fields = async (input: Parameters<typeof createSchedule>[1]) =>
      (await expectDomainError(createSchedule(h.ctx, input, OPERATOR), "VALIDATION")).details.fields?.map(
        (f) => f.path,
      );
    expect(await fields({ name: "a", cron: "0 9 * * 8", task: { definition: { title: "x" } } })).toEqual([
      "cron",
    ]);
    expect(
      await fields({
        name: "a",
        cron: "0 9 * * 1",
        timezone: "Europe/Lutece",
        task: { definition: { title: "x" } },
      }),
    ).toEqual(["timezone"]);
    expect(await fields({ name: "a", cron: "0 9 * * 1", template_id: "nope" })).toEqual(["template_id"]);
  });
});
