import { z } from "zod";

// The SLA clock policy of a queue (PUT /api/v1/queues/{name}/sla-policy). Shapes only: the
// engine checks what needs the state table or the time-zone database (server/engine/sla), and
// both answer 400 naming the field.

const openingHours = z.object({
  days: z
    .array(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))
    .min(1)
    .max(7),
  from: z.string().describe('"HH:MM" local time'),
  to: z.string().describe('"HH:MM" local time, after from ("24:00" = end of day)'),
});

export const businessCalendarSchema = z.object({
  time_zone: z.string().min(1).max(64).describe("IANA time zone, e.g. Europe/Paris"),
  hours: z.array(openingHours).min(1).max(50),
  holidays: z.array(z.string()).max(400).describe('Local dates "YYYY-MM-DD" when the queue is closed'),
});

export const slaPolicyInput = z.object({
  pause_states: z.array(z.string()).max(10).describe("Task states that stop the clock (default ON_HOLD)"),
  pause_on_client_block: z.boolean().describe("BLOCKED stops the clock when the reason is the client's"),
  client_blocker_keywords: z
    .array(z.string().min(1).max(40))
    .max(20)
    .describe("A BLOCKED reason containing one of these (case-insensitive) is the client's"),
  pause_while_waiting_on_blockers: z.boolean(),
  clock_starts: z.enum(["entry", "eligible"]).describe("Queue entry, or once the task's blockers are done"),
  calendar: businessCalendarSchema.nullable().describe("Business hours; null = 24/7"),
});

export const slaPolicySchema = slaPolicyInput.extend({
  queue: z.string(),
  version: z.number().int().describe("0 while the queue runs on the defaults"),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
});

/** A task's SLA clock now (GET /api/v1/tasks/{id}, beside the seed-format task). */
export const taskSlaSchema = z
  .object({
    paused: z.boolean(),
    paused_by: z.string().nullable().describe('The pause state, "client" or "blockers"; null while running'),
    elapsed_minutes: z.number().int(),
    remaining_minutes: z.number().int().describe("Negative once breached"),
    deadline: z.string().nullable().describe("Live deadline after pauses; null while paused with time left"),
  })
  .nullable()
  .describe("null without an SLA clock: finished, backlog, scheduled");

/** When the task is predicted to start and finish (docs/forecast.md). */
export const taskForecastSchema = z
  .object({
    start: z.string(),
    finish: z.string(),
    breach: z.boolean().describe("The forecast finish is after the SLA deadline"),
  })
  .nullable()
  .describe("null when nothing moves the task forward (on hold, blocked, failed, waiting on blockers)");
