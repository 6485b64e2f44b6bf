import { z } from "zod";
import { QUEUE_NAMES } from "../queues";
import { TASK_STATES } from "../states";
import { idList, listOf } from "./query-list";

const TASK_ID = /^TASK-\d{4}-\d{6}$/;

/** Most ids one `ids=` filter may name (the most tasks one page holds). */
export const MAX_IDS = 200;

export const taskListQuery = z.object({
  ids: idList(TASK_ID, "task ids (TASK-YYYY-NNNNNN)", MAX_IDS)
    .optional()
    .describe(
      `These tasks only (comma-separated or repeated, at most ${MAX_IDS}); combined with the other filters, and a page holds them all unless \`limit\` says fewer`,
    ),
  state: listOf(TASK_STATES, "state").optional(),
  queue: listOf(QUEUE_NAMES, "queue").optional(),
  skill: z.string().trim().min(1).max(128).optional(),
  client: z.string().trim().min(1).max(200).optional(),
  assignee: z.string().trim().min(1).max(128).optional(),
  intake_id: z.string().trim().min(1).max(64).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "Case-insensitive substring of the id, title, client, project type, intake id or the first 1000 characters of the description, where a client's request is kept (a trigram index)",
    ),
  include_archived: z.enum(["true", "false"]).optional(),
  cursor: z.string().regex(TASK_ID, "Not a cursor from a previous page").optional(),
  /** Default: 50, or as many as `ids` names. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export type TaskListQuery = z.infer<typeof taskListQuery>;
