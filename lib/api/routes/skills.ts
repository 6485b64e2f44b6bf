import { z } from "zod";
import {
  createExecutorInput,
  executorView,
  executorWithSecret,
  skillParams,
  updateExecutorInput,
} from "../../schemas/skills";
import { defineRoute } from "../define-route";

// Executor configuration per skill. Permission: webhooks:manage (admins; admin API keys), the
// permission that already guards where the orchestrator sends signed requests and with which
// secrets — a webhook executor is exactly that. Skill names with "/" are URL-encoded (%2F).

export const listExecutors = defineRoute({
  method: "GET",
  path: "/api/v1/skills",
  permission: "webhooks:manage",
  summary:
    "Skills with a configured executor (worker, webhook or human). Skills without one are served by pull workers",
  tag: "skills",
  response: z.object({ skills: z.array(executorView) }),
});

export const createExecutor = defineRoute({
  method: "POST",
  path: "/api/v1/skills",
  permission: "webhooks:manage",
  summary:
    "Configure a skill's executor. webhook: dispatched tasks are POSTed to `url` as signed task.dispatched messages (Standard Webhooks, with the returned secret, shown this once) and the skill answers through the worker API as worker_id webhook:<skill>; human: dispatched tasks are assigned to `team` and wait SCHEDULED for a person to start them",
  tag: "skills",
  body: createExecutorInput,
  response: executorWithSecret,
  status: 201,
});

export const getExecutor = defineRoute({
  method: "GET",
  path: "/api/v1/skills/{skill}",
  permission: "webhooks:manage",
  summary: "One skill's executor (a webhook's with its push delivery counts)",
  tag: "skills",
  params: skillParams,
  response: z.object({ executor: executorView }),
});

export const updateExecutor = defineRoute({
  method: "PATCH",
  path: "/api/v1/skills/{skill}",
  permission: "webhooks:manage",
  summary:
    "Change the kind, URL, lease, team, description, enable/disable (a disabled executor is as none: pull workers), or rotate a webhook's secret (returned once)",
  tag: "skills",
  params: skillParams,
  body: updateExecutorInput,
  response: executorWithSecret,
});

export const deleteExecutor = defineRoute({
  method: "DELETE",
  path: "/api/v1/skills/{skill}",
  permission: "webhooks:manage",
  summary: "Remove a skill's executor: its tasks go back to pull workers",
  tag: "skills",
  params: skillParams,
  response: z.object({ deleted: z.string() }),
});
