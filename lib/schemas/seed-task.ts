import { z } from "zod";
import { QUEUE_NAMES } from "../queues";
import type { SeedTask } from "../seed-format";
import { TASK_STATES } from "../states";

// The seed task format (SPEC §8) as a schema, for the OpenAPI document's responses.

const isoOrNull = z.string().nullable();
const state = z.enum(TASK_STATES);

export const seedTaskSchema = z.object({
  id: z.string().describe("TASK-YYYY-NNNNNN"),
  intake_id: z.string().nullable(),
  created_at: z.string(),
  definition: z.object({
    title: z.string(),
    description: z.string(),
    type: z.string(),
    skill_target: z.string(),
    entry_point: z.string(),
  }),
  state: z.object({
    current: state,
    previous: state.nullable(),
    changed_at: z.string(),
    history: z.array(z.object({ state, at: z.string() })),
  }),
  queue: z.object({
    name: z.enum(QUEUE_NAMES),
    position: z.number().int().nullable(),
    entered_at: z.string(),
    sla_deadline: isoOrNull,
  }),
  priority: z.object({ score: z.number().int(), factors: z.array(z.string()) }),
  execution: z.object({
    started_at: isoOrNull,
    estimated_duration_hours: z.number().nullable(),
    progress_percent: z.number().int(),
    current_step: z.string().nullable(),
    assigned_to: z.string().nullable(),
  }),
  dependencies: z.object({
    blocked_by: z.array(z.string()),
    blocks: z.array(z.string()),
    parent_task: z.string().nullable(),
    subtasks: z.array(z.string()),
  }),
  context: z.object({
    client: z.object({ name: z.string().nullable(), contact: z.string().nullable() }),
    project: z.object({
      type: z.string().nullable(),
      budget_range: z.string().nullable(),
      deadline: z.string().nullable(),
    }),
  }),
  output: z.object({
    deliverables: z.array(z.unknown()),
    notes: z.array(z.unknown()),
    next_actions: z.array(z.unknown()),
  }),
  metadata: z.object({ version: z.number().int(), last_updated: z.string(), updated_by: z.string() }),
}) satisfies z.ZodType<SeedTask>;

export const taskEnvelope = z.object({ task: seedTaskSchema });

export const taskIdParams = z.object({
  id: z.string().regex(/^TASK-\d{4}-\d{6}$/, "Not a task id (TASK-YYYY-NNNNNN)"),
});
