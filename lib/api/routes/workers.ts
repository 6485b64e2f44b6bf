import { z } from "zod";
import { seedTaskSchema, taskEnvelope, taskIdParams } from "../../schemas/seed-task";
import {
  blockInput,
  claimInput,
  completeInput,
  completeManyInput,
  failInput,
  heartbeatInput,
} from "../../schemas/workers";
import { defineRoute } from "../define-route";

const seedTasks = z.array(seedTaskSchema);
const lease = z.object({ expires_at: z.string(), duration_seconds: z.number() });
const workerErrors =
  " 409 codes: TASK_FINISHED (completed or cancelled), LEASE_EXPIRED (the lease ran out; the task goes to" +
  " retry), LEASE_REVOKED (someone else — an operator, an inbox action — took the task out of IN_PROGRESS" +
  " while you held it: stop working on it), TASK_NOT_RUNNING (you blocked or failed it yourself)," +
  " LEASE_NOT_HELD (another worker's or nobody's lease).";

/**
 * The worker protocol's routes. Workers authenticate with an API key of scope `worker`
 * (permission worker:execute); `worker_id` names the worker process that holds the lease.
 */
export const claimWork = defineRoute({
  method: "POST",
  path: "/api/v1/workers/claim",
  permission: "worker:execute",
  summary:
    "Claim up to `max` (≤ 50, one statement) dispatched (SCHEDULED) tasks of the worker's skills, or retried / resumed ones, then an unbounded queue's waiting (QUEUED) ones, dispatched by the claim itself, each → IN_PROGRESS under a lease (default 60 s) that heartbeats extend; with `wait_seconds`, an empty claim waits that long for work (long-poll) instead of answering at once",
  tag: "workers",
  body: claimInput,
  response: z.object({
    worker_id: z.string(),
    lease,
    tasks: seedTasks,
  }),
});
export const heartbeat = defineRoute({
  method: "POST",
  path: "/api/v1/workers/tasks/{id}/heartbeat",
  permission: "worker:execute",
  summary: `Extend the lease; report progress_percent (0-100) and current_step.${workerErrors}`,
  tag: "workers",
  params: taskIdParams,
  body: heartbeatInput,
  response: taskEnvelope.extend({ lease: z.object({ expires_at: z.string() }) }),
});
export const completeWork = defineRoute({
  method: "POST",
  path: "/api/v1/workers/tasks/{id}/complete",
  permission: "worker:execute",
  summary: `Complete the task with its output (deliverables, notes, next_actions); a parent with pending subtasks waits for them.${workerErrors}`,
  tag: "workers",
  params: taskIdParams,
  body: completeInput,
  response: taskEnvelope.extend({
    parked: z.boolean(),
    pending_subtasks: z.array(z.string()),
    unblocked: z.array(z.string()),
    completed_parents: z.array(z.string()),
  }),
});
export const completeManyWork = defineRoute({
  method: "POST",
  path: "/api/v1/workers/complete",
  permission: "worker:execute",
  summary: `Complete up to 50 tasks at once (plain ones in one statement); each result answers for itself: ok with what it released, or the error that refused it (the codes of the single complete). With \`claim\` (skills, max, lease_seconds, as POST /workers/claim), the worker's next tasks are claimed in the same statement, after the results have handed their freed slots over, and come back in \`claimed\`; that claim never waits (empty: long-poll with POST /workers/claim).${workerErrors}`,
  tag: "workers",
  body: completeManyInput,
  response: z.object({
    worker_id: z.string(),
    results: z.array(
      z.object({
        task_id: z.string(),
        ok: z.boolean(),
        parked: z.boolean().optional(),
        unblocked: z.array(z.string()).optional(),
        completed_parents: z.array(z.string()).optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
    claimed: z.object({ lease, tasks: seedTasks }).optional(),
  }),
});
export const failWork = defineRoute({
  method: "POST",
  path: "/api/v1/workers/tasks/{id}/fail",
  permission: "worker:execute",
  summary: `Report an error: recoverable ones are retried with backoff (30 s, 60 s, 120 s); after 3 failed retries, or an unrecoverable error, the task fails for good and is escalated.${workerErrors}`,
  tag: "workers",
  params: taskIdParams,
  body: failInput,
  response: taskEnvelope.extend({
    retry: z.object({ attempt: z.number().int(), next_retry_at: z.string() }).nullable(),
    gave_up: z.enum(["retries_exhausted", "unrecoverable_error"]).nullable(),
    escalation_id: z.string().nullable(),
  }),
});
export const blockWork = defineRoute({
  method: "POST",
  path: "/api/v1/workers/tasks/{id}/block",
  permission: "worker:execute",
  summary: `Block the task with a reason (e.g. waiting for the client); the lease ends.${workerErrors}`,
  tag: "workers",
  params: taskIdParams,
  body: blockInput,
  response: taskEnvelope,
});
