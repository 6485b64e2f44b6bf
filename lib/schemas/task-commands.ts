import { z } from "zod";
import { QUEUE_NAMES } from "../queues";
import { TASK_STATES } from "../states";

// Bodies of the task commands (API and UI share them so both report the same field paths).
// Every command that changes a task carries the version it was based on.

const taskId = z.string().regex(/^TASK-\d{4}-\d{6}$/, "Not a task id");
const expectedVersion = z.number().int().min(1);
const reason = z.string().trim().min(1, "A reason is required").max(1_000);

export const transitionInput = z.object({
  to: z.enum(TASK_STATES, { error: `Unknown state; one of ${TASK_STATES.join(", ")}` }),
  expected_version: expectedVersion.optional(),
  reason: reason.optional(),
});

export const reasonInput = z.object({ expected_version: expectedVersion.optional(), reason });

export const versionInput = z.object({ expected_version: expectedVersion.optional() });

export const setScoreInput = z.object({
  expected_version: expectedVersion.optional(),
  score: z.number().int().min(0, "Score is 0-100").max(100, "Score is 0-100"),
});

/** Drag-and-drop: put the task right before or right after a neighbour of the same queue. */
export const reorderInput = z
  .object({
    expected_version: expectedVersion.optional(),
    before: taskId.optional(),
    after: taskId.optional(),
  })
  .refine((v) => (v.before === undefined) !== (v.after === undefined), {
    message: "Give exactly one of before, after",
    path: ["before"],
  });

export const moveInput = z.object({
  expected_version: expectedVersion.optional(),
  queue: z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` }),
  scheduled_for: z.iso.datetime({ offset: true }).optional(),
  reason: reason.optional(),
});

export const dependencyInput = z.object({ blocker_id: taskId });

export const instantiateTemplateInput = z.object({
  intake_id: z.string().trim().min(1).max(64).optional(),
  context: z
    .object({
      client: z
        .object({
          name: z.string().trim().max(200).optional(),
          contact: z.string().trim().max(200).optional(),
        })
        .optional(),
      project: z
        .object({
          type: z.string().trim().max(64).optional(),
          budget_range: z.string().trim().max(64).optional(),
          deadline: z.iso.date().optional(),
        })
        .optional(),
    })
    .optional(),
  priority: z.object({ factors: z.array(z.string().trim().min(1).max(64)).max(20).optional() }).optional(),
  request: z
    .string()
    .trim()
    .max(2_000)
    .optional()
    .describe(
      "The client's words (\"Refonte site e-commerce, budget 20k€\"), kept in each task's description: search finds the chain by them",
    ),
});

export type TransitionInput = z.infer<typeof transitionInput>;
export type ReorderInput = z.infer<typeof reorderInput>;
export type MoveInput = z.infer<typeof moveInput>;
export type InstantiateTemplateInput = z.infer<typeof instantiateTemplateInput>;
