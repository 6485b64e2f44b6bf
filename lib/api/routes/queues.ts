import { z } from "zod";
import { QUEUE_NAMES } from "../../queues";
import { seedTaskSchema } from "../../schemas/seed-task";
import { instantiateTemplateInput } from "../../schemas/task-commands";
import { defineRoute } from "../define-route";

const queueStats = z
  .object({
    name: z.enum(QUEUE_NAMES),
    capacity: z.number().int().nullable(),
    waiting: z.number().int(),
    scheduled: z
      .number()
      .int()
      .describe("Dispatched, slot reserved, not started: holds a slot like in_progress"),
    in_progress: z.number().int(),
  })
  .loose();

export const listQueues = defineRoute({
  method: "GET",
  path: "/api/v1/queues",
  permission: "board:read",
  summary:
    "The queues with SLA, capacity and live counts (waiting, scheduled, in progress, oldest wait, at risk, breached); slots in use = scheduled + in_progress, never above capacity",
  tag: "queues",
  response: z.object({ queues: z.array(queueStats), server_time: z.string() }),
});

export const queueTasks = defineRoute({
  method: "GET",
  path: "/api/v1/queues/{name}/tasks",
  permission: "tasks:read",
  summary: "A queue's waiting tasks in dispatch order",
  tag: "queues",
  params: z.object({
    name: z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` }),
  }),
  response: z.object({ tasks: z.array(z.object({ id: z.string(), position: z.number().int() }).loose()) }),
});

export const listTemplates = defineRoute({
  method: "GET",
  path: "/api/v1/templates",
  permission: "tasks:read",
  summary: "Workflow templates that create chains of dependent tasks",
  tag: "templates",
  response: z.object({
    templates: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() }).loose()),
  }),
});

export const instantiateTemplate = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/templates/{id}/instantiate",
  permission: "templates:use",
  summary: "Create a template's whole chain of tasks in one transaction",
  tag: "templates",
  params: z.object({ id: z.string().min(1).max(64) }),
  body: instantiateTemplateInput,
  response: z.object({ tasks: z.array(seedTaskSchema) }),
  status: 201,
});
