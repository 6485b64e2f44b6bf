import { z } from "zod";
import { QUEUE_NAMES } from "../../queues";
import { seedTaskSchema } from "../../schemas/seed-task";
import { slaPolicyInput, slaPolicySchema } from "../../schemas/sla-policy";
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
    forecast_breaches: z
      .array(z.object({ task_id: z.string(), sla_deadline: z.string(), forecast_finish: z.string() }))
      .describe("Waiting and running tasks forecast to finish after their SLA deadline (docs/forecast.md)"),
  })
  .loose();

export const listQueues = defineRoute({
  method: "GET",
  path: "/api/v1/queues",
  permission: "board:read",
  summary:
    "The queues with SLA, capacity and live counts (waiting, scheduled, in progress, oldest wait, at risk, breached) and the tasks forecast to breach; slots in use = scheduled + in_progress, never above capacity",
  tag: "queues",
  response: z.object({ queues: z.array(queueStats), server_time: z.string() }),
});

export const queueTasks = defineRoute({
  method: "GET",
  path: "/api/v1/queues/{name}/tasks",
  permission: "tasks:read",
  summary:
    "A queue's waiting tasks in dispatch order: the first `limit` of them when given, or (keyset) the `limit` after the waiting task `after`; positions are absolute",
  tag: "queues",
  params: z.object({
    name: z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` }),
  }),
  query: z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe("The first tasks of the list only (the list's head is read in index order)"),
    after: z
      .string()
      .regex(/^TASK-\d{4}-\d{6}$/, "Not a task id")
      .optional()
      .describe(
        "Keyset cursor: the tasks after this waiting task (the last one of the previous page); 400 naming `after` when it is no longer waiting in this queue",
      ),
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

const queueParams = z.object({
  name: z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` }),
});

export const getSlaPolicy = defineRoute({
  method: "GET",
  path: "/api/v1/queues/{name}/sla-policy",
  permission: "tasks:read",
  summary:
    "How the queue's SLA clock runs: pause states, client blockers, waiting on blockers, when it starts, business hours",
  tag: "queues",
  params: queueParams,
  response: slaPolicySchema,
});

export const putSlaPolicy = defineRoute({
  method: "PUT",
  path: "/api/v1/queues/{name}/sla-policy",
  permission: "sla:manage",
  summary:
    "Replace the queue's SLA clock policy (admins); an unknown time zone, overlapping hours or a pause state not in the state table is a 400 naming the field, nothing changed",
  tag: "queues",
  params: queueParams,
  body: slaPolicyInput,
  response: slaPolicySchema,
});
