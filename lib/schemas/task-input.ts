import { z } from "zod";
import { QUEUE_NAMES } from "../queues";

// The writable subset of the seed task format (SPEC §8). Shared by the API (validation, OpenAPI)
// and the UI (form validation), so both report the same field paths.

const isoDateTime = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();
const shortText = (max: number) => z.string().trim().max(max);

export const TITLE_MAX = 200;

export const createTaskInput = z.object({
  intake_id: shortText(64).min(1).optional(),
  definition: z.object({
    title: z.string().trim().min(1, "Title is required").max(TITLE_MAX, `At most ${TITLE_MAX} characters`),
    description: shortText(10_000).optional(),
    type: shortText(64).min(1).optional(),
    skill_target: shortText(128).optional(),
    entry_point: shortText(256).optional(),
  }),
  queue: z
    .object({
      name: z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` }).optional(),
      /** For the scheduled queue: when the task becomes due. */
      scheduled_for: isoDateTime.optional(),
    })
    .optional(),
  priority: z
    .object({
      score: z.number().int().min(0).max(100).optional(),
      factors: z.array(shortText(64).min(1)).max(20).optional(),
    })
    .optional(),
  execution: z
    .object({
      estimated_duration_hours: z.number().positive().max(10_000).optional(),
      assigned_to: shortText(128).min(1).optional(),
    })
    .optional(),
  dependencies: z
    .object({
      blocked_by: z
        .array(z.string().regex(/^TASK-\d{4}-\d{6}$/, "Not a task id"))
        .max(100)
        .optional(),
      parent_task: z
        .string()
        .regex(/^TASK-\d{4}-\d{6}$/, "Not a task id")
        .nullable()
        .optional(),
    })
    .optional(),
  context: z
    .object({
      client: z.object({ name: shortText(200).optional(), contact: shortText(200).optional() }).optional(),
      project: z
        .object({
          type: shortText(64).optional(),
          budget_range: shortText(64).optional(),
          deadline: calendarDate.optional(),
        })
        .optional(),
    })
    .optional(),
});

export type CreateTaskInput = z.infer<typeof createTaskInput>;

// PATCH of a task's definition, context and execution fields. `expected_version` is the
// metadata.version the edit was based on: a stale one is refused (409 with the current task).
// `null` clears an optional field; an absent key leaves it unchanged.

const nullableText = (max: number) => shortText(max).nullable().optional();

export const updateTaskInput = z
  .object({
    expected_version: z.number().int().min(1),
    definition: z
      .object({
        title: z
          .string()
          .trim()
          .min(1, "Title is required")
          .max(TITLE_MAX, `At most ${TITLE_MAX} characters`)
          .optional(),
        description: shortText(10_000).optional(),
        type: shortText(64).min(1).optional(),
        skill_target: shortText(128).optional(),
        entry_point: shortText(256).optional(),
      })
      .strict()
      .optional(),
    execution: z
      .object({
        estimated_duration_hours: z.number().positive().max(10_000).nullable().optional(),
        assigned_to: shortText(128).min(1).nullable().optional(),
      })
      .strict()
      .optional(),
    context: z
      .object({
        client: z
          .object({ name: nullableText(200), contact: nullableText(200) })
          .strict()
          .optional(),
        project: z
          .object({
            type: nullableText(64),
            budget_range: nullableText(64),
            deadline: calendarDate.nullable().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => v.definition !== undefined || v.execution !== undefined || v.context !== undefined, {
    message: "Nothing to update: give definition, execution or context",
    path: ["definition"],
  });

export type UpdateTaskInput = z.infer<typeof updateTaskInput>;
