import { randomBytes } from "node:crypto";
import type {
  CreateScheduleInput,
  MissedRunPolicy,
  ScheduleView,
  UpdateScheduleInput,
} from "@/lib/schemas/schedules";
import type { InstantiateTemplateInput } from "@/lib/schemas/task-commands";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import { findTemplate } from "@/lib/templates";
import { Prisma, type Schedule, type Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, notFound, validationError } from "../errors";
import { createTaskInTx } from "../queue/create-task";
import { inTransaction } from "../state/transaction";
import { instantiateTemplateInTx } from "../state/workflow-engine";
import { writeAudit } from "../tracking/audit";
import { checkCron, nextOccurrence, upcomingOccurrences } from "./cron";

// Recurring schedules: CRUD (audited, versioned) and the run itself — a template's chain or
// one task, created in the run's transaction with the schedule's new next_run_at, so a run
// happens once even with several server instances sweeping (schedule-sweep.ts).

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function scheduleActor(schedule: Pick<Schedule, "id">): Actor {
  return { id: `schedule:${schedule.id}`, role: "system" };
}

export function toScheduleView(row: Schedule, now: Date): ScheduleView {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    template_id: row.templateId,
    template_params: row.templateParams ?? null,
    task: row.taskDefinition ?? null,
    enabled: row.enabled,
    missed_run_policy: row.missedRunPolicy as MissedRunPolicy,
    next_run_at: iso(row.nextRunAt),
    upcoming: row.enabled
      ? upcomingOccurrences(row.cron, row.timezone, now, 3).map((d) => d.toISOString())
      : [],
    last_run_at: iso(row.lastRunAt),
    last_run_task_ids: row.lastRunTaskIds,
    last_error: row.lastError,
    run_count: row.runCount,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
    updated_by: row.updatedBy,
  };
}

function checkTemplate(templateId: string | null | undefined): void {
  if (templateId && !findTemplate(templateId)) {
    throw validationError([{ path: "template_id", message: `Unknown template ${templateId}` }]);
  }
}

function checkExpression(cron: string, timezone: string, now: Date): void {
  const fields = checkCron(cron, timezone, now);
  if (fields.length > 0) throw validationError(fields);
}

export async function listSchedules(ctx: EngineContext): Promise<ScheduleView[]> {
  const rows = await ctx.prisma.schedule.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const now = ctx.clock.now();
  return rows.map((row) => toScheduleView(row, now));
}

export async function getSchedule(ctx: EngineContext, id: string): Promise<ScheduleView> {
  const row = await ctx.prisma.schedule.findUnique({ where: { id } });
  if (!row) throw notFound("Schedule", id);
  return toScheduleView(row, ctx.clock.now());
}

export async function createSchedule(
  ctx: EngineContext,
  input: CreateScheduleInput,
  actor: Actor,
): Promise<ScheduleView> {
  const timezone = input.timezone ?? "UTC";
  checkExpression(input.cron, timezone, ctx.clock.now());
  checkTemplate(input.template_id);
  return inTransaction(ctx, async (tx, at) => {
    const enabled = input.enabled ?? true;
    const row = await tx.schedule.create({
      data: {
        id: `sch_${randomBytes(12).toString("hex")}`,
        name: input.name,
        cron: input.cron,
        timezone,
        templateId: input.template_id ?? null,
        templateParams: input.template_id
          ? ((input.template_params ?? {}) as Prisma.InputJsonObject)
          : undefined,
        taskDefinition: input.task ? (input.task as Prisma.InputJsonObject) : undefined,
        enabled,
        missedRunPolicy: input.missed_run_policy ?? "catch_up_once",
        nextRunAt: enabled ? nextOccurrence(input.cron, timezone, at) : null,
        createdAt: at,
        createdBy: actor.id,
        updatedAt: at,
        updatedBy: actor.id,
      },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "schedule.created",
      details: {
        schedule_id: row.id,
        name: row.name,
        cron: row.cron,
        timezone,
        template_id: row.templateId,
        next_run_at: iso(row.nextRunAt),
      },
    });
    return toScheduleView(row, at);
  });
}

async function lockSchedule(tx: Tx, id: string): Promise<Schedule> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM schedules WHERE id = ${id} FOR UPDATE`;
  const row = locked.length > 0 ? await tx.schedule.findUnique({ where: { id } }) : null;
  if (!row) throw notFound("Schedule", id);
  return row;
}

/**
 * Edits a schedule. A new cron, time zone, or enabling computes next_run_at from now (a
 * schedule enabled again does not catch up the time it was off). A stale expected_version → 409.
 */
export function updateSchedule(
  ctx: EngineContext,
  id: string,
  input: UpdateScheduleInput,
  actor: Actor,
): Promise<ScheduleView> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockSchedule(tx, id);
    if (input.expected_version !== undefined && input.expected_version !== row.version) {
      throw new DomainError(
        "STALE_VERSION",
        `Schedule ${id} is at version ${row.version}, not ${input.expected_version}: it changed since you loaded it`,
        { currentVersion: row.version, current: toScheduleView(row, at) },
      );
    }
    const cron = input.cron ?? row.cron;
    const timezone = input.timezone ?? row.timezone;
    const enabled = input.enabled ?? row.enabled;
    if (input.cron !== undefined || input.timezone !== undefined) checkExpression(cron, timezone, at);
    checkTemplate(input.template_id);
    const timing = input.cron !== undefined || input.timezone !== undefined || (enabled && !row.enabled);
    const target: Prisma.ScheduleUpdateInput =
      input.template_id !== undefined
        ? {
            templateId: input.template_id,
            taskDefinition: Prisma.DbNull,
            templateParams: (input.template_params ?? row.templateParams ?? {}) as Prisma.InputJsonObject,
          }
        : input.task !== undefined
          ? {
              templateId: null,
              templateParams: Prisma.DbNull,
              taskDefinition: input.task as Prisma.InputJsonObject,
            }
          : input.template_params !== undefined && row.templateId
            ? { templateParams: (input.template_params ?? {}) as Prisma.InputJsonObject }
            : {};
    if (input.template_params !== undefined && input.template_id === undefined && !row.templateId) {
      throw validationError([
        { path: "template_params", message: "This schedule creates a task, not a template" },
      ]);
    }
    const updated = await tx.schedule.update({
      where: { id },
      data: {
        ...(input.name !== undefined && { name: input.name }),
        cron,
        timezone,
        enabled,
        ...(input.missed_run_policy !== undefined && { missedRunPolicy: input.missed_run_policy }),
        ...target,
        ...(!enabled ? { nextRunAt: null } : timing ? { nextRunAt: nextOccurrence(cron, timezone, at) } : {}),
        version: row.version + 1,
        updatedAt: at,
        updatedBy: actor.id,
      },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "schedule.updated",
      details: {
        schedule_id: id,
        changed: Object.keys(input).filter(
          (k) => k !== "expected_version" && input[k as keyof UpdateScheduleInput] !== undefined,
        ),
        next_run_at: iso(updated.nextRunAt),
        version: updated.version,
      },
    });
    return toScheduleView(updated, at);
  });
}

export function deleteSchedule(ctx: EngineContext, id: string, actor: Actor): Promise<void> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockSchedule(tx, id);
    await tx.schedule.delete({ where: { id } });
    await writeAudit(tx, {
      at,
      actor,
      action: "schedule.deleted",
      details: { schedule_id: id, name: row.name, cron: row.cron, timezone: row.timezone },
    });
  });
}

/** Creates what one run of the schedule creates, in the caller's transaction. */
export async function createRunTasks(tx: Tx, at: Date, schedule: Schedule): Promise<Task[]> {
  const actor = scheduleActor(schedule);
  if (schedule.templateId) {
    const params = (schedule.templateParams ?? {}) as Omit<InstantiateTemplateInput, "intake_id">;
    return instantiateTemplateInTx(tx, at, schedule.templateId, params, actor);
  }
  if (schedule.taskDefinition) {
    return [await createTaskInTx(tx, at, schedule.taskDefinition as unknown as CreateTaskInput, actor)];
  }
  throw new DomainError("CONFLICT", `Schedule ${schedule.id} has neither a template nor a task`, {
    id: schedule.id,
  });
}

export interface RunNowResult {
  schedule: ScheduleView;
  taskIds: string[];
}

/** POST /schedules/{id}/run: one run now, whether enabled or not; next_run_at is unchanged. */
export function runScheduleNow(ctx: EngineContext, id: string, actor: Actor): Promise<RunNowResult> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockSchedule(tx, id);
    const tasks = await createRunTasks(tx, at, row);
    const taskIds = tasks.map((t) => t.id);
    const updated = await tx.schedule.update({
      where: { id },
      data: { lastRunAt: at, lastRunTaskIds: taskIds, lastError: null, runCount: { increment: 1 } },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "schedule.run",
      details: { schedule_id: id, name: row.name, trigger: "manual", task_ids: taskIds },
    });
    return { schedule: toScheduleView(updated, at), taskIds };
  });
}
