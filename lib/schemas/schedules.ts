import { z } from "zod";
import { instantiateTemplateInput } from "./task-commands";
import { createTaskInput } from "./task-input";

// Recurring schedules (SPEC §9 "schedulers"): a cron expression in an IANA time zone that
// creates a template's chain or one task at each occurrence.

export const MISSED_RUN_POLICIES = ["catch_up_once", "skip"] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

const cron = z
  .string()
  .trim()
  .min(1, "Give a cron expression")
  .max(200)
  .describe('Five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"');

const timezone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('IANA time zone, e.g. "Europe/Paris" (default UTC)');

const templateParams = instantiateTemplateInput
  .omit({ intake_id: true })
  .describe("For a template: the context and priority factors every run gets");

const policy = z
  .enum(MISSED_RUN_POLICIES)
  .describe(
    "Occurrences missed while no server ran: catch_up_once (default) runs once for all of them; skip drops them (an occurrence more than 5 minutes late is not run)",
  );

export const createScheduleInput = z
  .object({
    name: z.string().trim().min(1, "Give the schedule a name").max(200),
    cron,
    timezone: timezone.optional(),
    template_id: z.string().trim().min(1).max(64).optional(),
    template_params: templateParams.optional(),
    task: createTaskInput.optional().describe("For a single task: what each run creates"),
    enabled: z.boolean().optional(),
    missed_run_policy: policy.optional(),
  })
  .refine((v) => (v.template_id === undefined) !== (v.task === undefined), {
    message: "Give exactly one of template_id, task",
    path: ["template_id"],
  });

export const updateScheduleInput = z
  .object({
    expected_version: z.number().int().min(1).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    cron: cron.optional(),
    timezone: timezone.optional(),
    template_id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe("Switches the schedule to this template"),
    template_params: templateParams.nullable().optional(),
    task: createTaskInput.optional().describe("Switches the schedule to this single task"),
    enabled: z.boolean().optional(),
    missed_run_policy: policy.optional(),
  })
  .strict()
  .refine((v) => !(v.template_id !== undefined && v.task !== undefined), {
    message: "Give at most one of template_id, task",
    path: ["template_id"],
  })
  .refine((v) => Object.entries(v).some(([k, x]) => k !== "expected_version" && x !== undefined), {
    message: "Nothing to update",
    path: ["name"],
  });

export type CreateScheduleInput = z.infer<typeof createScheduleInput>;
export type UpdateScheduleInput = z.infer<typeof updateScheduleInput>;

export const scheduleIdParams = z.object({
  id: z.string().regex(/^sch_[a-f0-9]{24}$/, "Not a schedule id"),
});

export const scheduleView = z.object({
  id: z.string(),
  name: z.string(),
  cron: z.string(),
  timezone: z.string(),
  template_id: z.string().nullable(),
  template_params: z.unknown().nullable(),
  task: z.unknown().nullable(),
  enabled: z.boolean(),
  missed_run_policy: z.enum(MISSED_RUN_POLICIES),
  next_run_at: z.string().nullable(),
  upcoming: z.array(z.string()).describe("The next few occurrences (UTC)"),
  last_run_at: z.string().nullable(),
  last_run_task_ids: z.array(z.string()),
  last_error: z.string().nullable(),
  run_count: z.number(),
  version: z.number(),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
  updated_by: z.string(),
});

export type ScheduleView = z.infer<typeof scheduleView>;
