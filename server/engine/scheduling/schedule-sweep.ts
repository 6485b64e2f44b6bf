import type { EngineContext } from "../context";
import { isDomainError } from "../errors";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { nextOccurrence, occurrencesBetween } from "./cron";
import { createRunTasks, scheduleActor } from "./schedules";

// The schedule sweep (every 30 s and at start-up): runs every enabled schedule whose
// next_run_at has come, reading the engine clock.
//
// Once across instances: each due schedule is run in its own transaction that locks its row
// with FOR UPDATE SKIP LOCKED and re-checks next_run_at <= now; the run's tasks and the new
// next_run_at commit together. A second instance either skips the locked row or, after the
// commit, finds it no longer due. One failing schedule (e.g. its task names a blocker that was
// cancelled) is recorded (last_error, audit "schedule.failed") and moved to its next
// occurrence; it does not stop the others.
//
// Missed runs (the server was down over one or more occurrences), per schedule:
// - catch_up_once (default): one run for all the missed occurrences;
// - skip: missed occurrences are dropped; the latest one still runs if it is at most
//   MISSED_RUN_GRACE_MS late (an ordinary sweep delay), else nothing runs until the next one.
// The audit row of the run (or of the skip) records how many occurrences were missed.

export const MISSED_RUN_GRACE_MS = 5 * 60_000;

export interface ScheduleRunOutcome {
  scheduleId: string;
  outcome: "ran" | "skipped" | "failed";
  /** The occurrence this run stands for (the latest one due). */
  occurrence: Date;
  /** Occurrences due that got no run of their own. */
  missed: number;
  taskIds: string[];
  error?: string;
}

export async function sweepSchedules(
  ctx: EngineContext,
  options: { limit?: number } = {},
): Promise<ScheduleRunOutcome[]> {
  const due = await ctx.prisma.schedule.findMany({
    where: { enabled: true, nextRunAt: { lte: ctx.clock.now() } },
    select: { id: true },
    orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
    take: options.limit ?? 100,
  });
  const outcomes: ScheduleRunOutcome[] = [];
  for (const { id } of due) {
    const outcome = await runDueSchedule(ctx, id);
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}

/** Runs (or skips) one due schedule; null when it is not due any more or another instance has it. */
export async function runDueSchedule(ctx: EngineContext, id: string): Promise<ScheduleRunOutcome | null> {
  try {
    return await inTransaction(ctx, async (tx, at) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM schedules
        WHERE id = ${id} AND enabled AND next_run_at IS NOT NULL AND next_run_at <= ${at}
        FOR UPDATE SKIP LOCKED`;
      if (locked.length === 0) return null;
      const schedule = await tx.schedule.findUniqueOrThrow({ where: { id } });
      const dueAt = schedule.nextRunAt as Date;
      const span = occurrencesBetween(schedule.cron, schedule.timezone, dueAt, at);
      const occurrence = span.latest ?? dueAt;
      const count = Math.max(1, span.count);
      const next = nextOccurrence(schedule.cron, schedule.timezone, at);
      const actor = scheduleActor(schedule);
      const common = {
        schedule_id: id,
        name: schedule.name,
        trigger: "cron",
        policy: schedule.missedRunPolicy,
        occurrence: occurrence.toISOString(),
        first_due: dueAt.toISOString(),
        next_run_at: next?.toISOString() ?? null,
        ...(span.capped ? { missed_at_least: true } : {}),
      };

      if (schedule.missedRunPolicy === "skip" && at.getTime() - occurrence.getTime() > MISSED_RUN_GRACE_MS) {
        await tx.schedule.update({ where: { id }, data: { nextRunAt: next } });
        await writeAudit(tx, {
          at,
          actor,
          action: "schedule.skipped",
          details: { ...common, missed: count },
        });
        return { scheduleId: id, outcome: "skipped", occurrence, missed: count, taskIds: [] };
      }

      const tasks = await createRunTasks(tx, at, schedule);
      const taskIds = tasks.map((t) => t.id);
      await tx.schedule.update({
        where: { id },
        data: {
          nextRunAt: next,
          lastRunAt: at,
          lastRunTaskIds: taskIds,
          lastError: null,
          runCount: { increment: 1 },
        },
      });
      await writeAudit(tx, {
        at,
        actor,
        action: "schedule.run",
        details: { ...common, missed: count - 1, task_ids: taskIds },
      });
      return { scheduleId: id, outcome: "ran", occurrence, missed: count - 1, taskIds };
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return recordFailure(ctx, id, error.message);
  }
}

/** The run was refused by the engine (bad definition): note why and move on to the next occurrence. */
function recordFailure(ctx: EngineContext, id: string, message: string): Promise<ScheduleRunOutcome | null> {
  return inTransaction(ctx, async (tx, at) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM schedules WHERE id = ${id} AND enabled AND next_run_at <= ${at} FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return null;
    const schedule = await tx.schedule.findUniqueOrThrow({ where: { id } });
    const occurrence = schedule.nextRunAt as Date;
    const next = nextOccurrence(schedule.cron, schedule.timezone, at);
    await tx.schedule.update({
      where: { id },
      data: { nextRunAt: next, lastError: message.slice(0, 1_000) },
    });
    await writeAudit(tx, {
      at,
      actor: scheduleActor(schedule),
      action: "schedule.failed",
      reason: message.slice(0, 1_000),
      details: { schedule_id: id, name: schedule.name, next_run_at: next?.toISOString() ?? null },
    });
    return { scheduleId: id, outcome: "failed", occurrence, missed: 0, taskIds: [], error: message };
  });
}
