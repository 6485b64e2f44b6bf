import { z } from "zod";
import { seedTaskSchema, taskEnvelope, taskIdParams } from "../../schemas/seed-task";
import { taskForecastSchema, taskSlaSchema } from "../../schemas/sla-policy";
import {
  dependencyInput,
  moveInput,
  reasonInput,
  reorderInput,
  setScoreInput,
  transitionInput,
  versionInput,
} from "../../schemas/task-commands";
import { createTaskInput, updateTaskInput } from "../../schemas/task-input";
import { taskListQuery } from "../../schemas/task-query";
import { defineRoute } from "../define-route";

const transitionResult = taskEnvelope.extend({
  unblocked: z.array(z.string()).describe("Dependents that became eligible"),
  conflicts: z.array(z.object({ task_id: z.string(), reason: z.string() }).loose()),
});

const taskPage = z.object({ tasks: z.array(seedTaskSchema), next_cursor: z.string().nullable() });

export const listTasks = defineRoute({
  method: "GET",
  path: "/api/v1/tasks",
  permission: "tasks:read",
  summary:
    "List tasks, newest first, filtered by ids, state, queue, skill, client, assignee, intake or text; cursor-paginated",
  tag: "tasks",
  query: taskListQuery,
  response: taskPage,
});

export const createTask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks",
  permission: "tasks:create",
  summary: "Create a task from the writable subset of the seed format; it goes CREATED → QUEUED",
  tag: "tasks",
  body: createTaskInput,
  response: taskEnvelope,
  status: 201,
});

export const getTask = defineRoute({
  method: "GET",
  path: "/api/v1/tasks/{id}",
  permission: "tasks:read",
  summary: "One task in the seed format, with its SLA clock (paused, elapsed, remaining) and its forecast",
  tag: "tasks",
  params: taskIdParams,
  response: taskEnvelope.extend({ sla: taskSlaSchema, forecast: taskForecastSchema }),
});

export const updateTask = defineRoute({
  method: "PATCH",
  path: "/api/v1/tasks/{id}",
  permission: "tasks:edit",
  summary:
    "Edit definition, execution and context fields; expected_version is required (stale → 409 with the current task)",
  tag: "tasks",
  params: taskIdParams,
  body: updateTaskInput,
  response: taskEnvelope,
});

export const transitionTask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/transition",
  permission: "tasks:transition",
  summary:
    "Move a task to another state, if the transition table and the caller's role allow it (409 lists the allowed ones)",
  tag: "tasks",
  params: taskIdParams,
  body: transitionInput,
  response: transitionResult,
});

export const revertTask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/revert",
  permission: "tasks:transition",
  summary: "Revert the last transition made in error, recorded as a new audited transition",
  tag: "tasks",
  params: taskIdParams,
  body: reasonInput,
  response: transitionResult,
});

export const reorderTask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/reorder",
  permission: "tasks:reorder",
  summary: "Drag-and-drop: place a waiting task right before or after another of its queue",
  tag: "tasks",
  params: taskIdParams,
  body: reorderInput,
  response: taskEnvelope,
});

export const moveTask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/move",
  permission: "tasks:reorder",
  summary: "Move a task to another queue (re-entry resets the SLA clock)",
  tag: "tasks",
  params: taskIdParams,
  body: moveInput,
  response: taskEnvelope,
});

export const bumpTask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/bump",
  permission: "tasks:reorder",
  summary: "Raise the priority score by 10 (factor manual_bump)",
  tag: "tasks",
  params: taskIdParams,
  body: versionInput,
  response: taskEnvelope,
});

export const setScore = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/score",
  permission: "tasks:reorder",
  summary: "Set the priority score (0-100)",
  tag: "tasks",
  params: taskIdParams,
  body: setScoreInput,
  response: taskEnvelope,
});

export const addDependency = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/dependencies",
  permission: "tasks:edit",
  summary: "Make this task blocked by another (a cycle or a self-dependency is refused with 409)",
  tag: "dependencies",
  params: taskIdParams,
  body: dependencyInput,
  response: taskEnvelope,
  status: 201,
});

export const removeDependency = defineRoute({
  method: "DELETE",
  path: "/api/v1/tasks/{id}/dependencies/{blockerId}",
  permission: "tasks:edit",
  summary: "Remove a blocked_by edge",
  tag: "dependencies",
  params: taskIdParams.extend({ blockerId: taskIdParams.shape.id }),
  response: taskEnvelope,
});

export const listSubtasks = defineRoute({
  method: "GET",
  path: "/api/v1/tasks/{id}/subtasks",
  permission: "tasks:read",
  summary: "The task's subtasks in the seed format",
  tag: "dependencies",
  params: taskIdParams,
  response: z.object({ tasks: z.array(seedTaskSchema) }),
});

export const createSubtask = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/tasks/{id}/subtasks",
  permission: "tasks:create",
  summary: "Create a subtask of this task (its parent completes when all its subtasks have)",
  tag: "dependencies",
  params: taskIdParams,
  body: createTaskInput,
  response: taskEnvelope,
  status: 201,
});
