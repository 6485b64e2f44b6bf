import { z } from "zod";
import { QUEUE_NAMES } from "../queues";
import { TASK_STATES } from "../states";
import { listOf } from "./query-list";

export const taskListQuery = z.object({
  state: listOf(TASK_STATES, "state").optional(),
  queue: listOf(QUEUE_NAMES, "queue").optional(),
  skill: z.string().trim().min(1).max(128).optional(),
  client: z.string().trim().min(1).max(200).optional(),
  assignee: z.string().trim().min(1).max(128).optional(),
  intake_id: z.string().trim().min(1).max(64).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  include_archived: z.enum(["true", "false"]).optional(),
  cursor: z
    .string()
    .regex(/^TASK-\d{4}-\d{6}$/, "Not a cursor from a previous page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type TaskListQuery = z.infer<typeof taskListQuery>;
