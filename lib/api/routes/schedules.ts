import { z } from "zod";
import {
  createScheduleInput,
  scheduleIdParams,
  scheduleView,
  updateScheduleInput,
} from "../../schemas/schedules";
import { seedTaskSchema } from "../../schemas/seed-task";
import { defineRoute } from "../define-route";

const scheduleEnvelope = z.object({ schedule: scheduleView });

export const listSchedules = defineRoute({
  method: "GET",
  path: "/api/v1/schedules",
  permission: "schedules:manage",
  summary: "Recurring schedules with their next occurrences",
  tag: "schedules",
  response: z.object({ schedules: z.array(scheduleView) }),
});

export const createSchedule = defineRoute({
  method: "POST",
  path: "/api/v1/schedules",
  permission: "schedules:manage",
  summary:
    "A recurring schedule: a 5-field cron expression in an IANA time zone creating a template's chain or one task (400 names a bad cron or timezone)",
  tag: "schedules",
  body: createScheduleInput,
  response: scheduleEnvelope,
  status: 201,
});

export const getSchedule = defineRoute({
  method: "GET",
  path: "/api/v1/schedules/{id}",
  permission: "schedules:manage",
  summary: "One schedule",
  tag: "schedules",
  params: scheduleIdParams,
  response: scheduleEnvelope,
});

export const updateSchedule = defineRoute({
  method: "PATCH",
  path: "/api/v1/schedules/{id}",
  permission: "schedules:manage",
  summary:
    "Edit a schedule; a new cron, time zone or enabling recomputes next_run_at from now (optional expected_version: stale → 409)",
  tag: "schedules",
  params: scheduleIdParams,
  body: updateScheduleInput,
  response: scheduleEnvelope,
});

export const deleteSchedule = defineRoute({
  method: "DELETE",
  path: "/api/v1/schedules/{id}",
  permission: "schedules:manage",
  summary: "Delete a schedule (the tasks it created stay)",
  tag: "schedules",
  params: scheduleIdParams,
  response: z.object({ deleted: z.string() }),
});

export const runSchedule = defineRoute({
  method: "POST",
  path: "/api/v1/schedules/{id}/run",
  permission: "schedules:manage",
  summary: "Run the schedule now (enabled or not); its next occurrence is unchanged",
  tag: "schedules",
  params: scheduleIdParams,
  response: scheduleEnvelope.extend({ tasks: z.array(seedTaskSchema) }),
  status: 201,
});
