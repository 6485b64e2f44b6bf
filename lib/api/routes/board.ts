import { z } from "zod";
import { BOARD_PAGE_SIZE, BOARD_TERMINAL_RECENT } from "../../board";
import { ESCALATION_URGENCIES } from "../../escalations";
import { taskIdParams } from "../../schemas/seed-task";
import { taskListQuery } from "../../schemas/task-query";
import { TASK_STATES } from "../../states";
import { defineRoute } from "../define-route";

const card = z.object({
  id: z.string(),
  title: z.string(),
  state: z.enum(TASK_STATES),
  queue: z.string(),
  position: z.number().int().nullable(),
  priorityScore: z.number().int(),
  slaDeadline: z.string().nullable(),
  progressPercent: z.number().int(),
  assignedTo: z.string().nullable(),
  skillTarget: z.string(),
  clientName: z.string().nullable(),
  intakeId: z.string().nullable(),
  projectType: z.string().nullable(),
  blockerReason: z.string().nullable(),
  waitingOn: z.number().int(),
  /** The most urgent open escalation's urgency, null when none is open. */
  escalationUrgency: z.enum(ESCALATION_URGENCIES).nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});

const column = z.object({
  state: z.enum(TASK_STATES),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});

const boardQuery = z
  .object({
    state: z
      .enum(TASK_STATES, { error: `Unknown state; one of ${TASK_STATES.join(", ")}` })
      .optional()
      .describe("One column only: its page at `cursor` (every column's first page without it)"),
    cursor: z
      .string()
      .regex(/^\d{1,9}$/, "Not a cursor from a column's nextCursor")
      .transform(Number)
      .optional()
      .describe("A column's `nextCursor` (with `state`)"),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(BOARD_TERMINAL_RECENT)
      .optional()
      .describe(`Cards per column (default ${BOARD_PAGE_SIZE})`),
    queue: z.string().trim().min(1).max(64).optional().describe("Only this queue's cards"),
    // The same filters as the task list's.
    ...taskListQuery.pick({ skill: true, client: true, assignee: true, q: true }).shape,
    at_risk: z
      .enum(["true", "false"])
      .optional()
      .describe("true: only live tasks with less than an hour of SLA left, or past it"),
  })
  .refine((q) => q.cursor === undefined || q.state !== undefined, {
    path: ["cursor"],
    message: "A cursor pages one column: give its state too",
  });

export const board = defineRoute({
  method: "GET",
  path: "/api/v1/board",
  permission: "board:read",
  summary:
    "The board's read model by pages: each column's first page (or one column's next page), every column's count, the server time. The wall key gets cards without client, assignee or blocker, and cannot filter on them",
  tag: "board",
  query: boardQuery,
  response: z.object({
    cards: z.array(card),
    columns: z.array(column),
    counts: z.record(z.enum(TASK_STATES), z.number().int()),
    serverTime: z.string(),
  }),
});

export const boardCard = defineRoute({
  method: "GET",
  path: "/api/v1/board/cards/{id}",
  permission: "board:read",
  summary: "One board card (what a client fetches on a change event)",
  tag: "board",
  params: taskIdParams,
  response: z.object({ card }),
});

export const boardFilterOptions = defineRoute({
  method: "GET",
  path: "/api/v1/board/filters",
  permission: "tasks:read",
  summary:
    "The board's filter options: the distinct skills, clients, intake ids and assignees of the live tasks (up to 500 each, sorted), so the filters offer values beyond the loaded pages",
  tag: "board",
  response: z.object({
    skills: z.array(z.string()),
    clients: z.array(z.string()),
    intakes: z.array(z.string()),
    assignees: z.array(z.string()),
  }),
});
