import { z } from "zod";
import { ESCALATION_URGENCIES } from "../../escalations";
import { taskIdParams } from "../../schemas/seed-task";
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

export const board = defineRoute({
  method: "GET",
  path: "/api/v1/board",
  permission: "tasks:read",
  summary: "The board's read model: live tasks and recent finished ones, with the server time",
  tag: "board",
  response: z.object({ cards: z.array(card), serverTime: z.string() }),
});

export const boardCard = defineRoute({
  method: "GET",
  path: "/api/v1/board/cards/{id}",
  permission: "tasks:read",
  summary: "One board card (what a client fetches on a change event)",
  tag: "board",
  params: taskIdParams,
  response: z.object({ card }),
});
