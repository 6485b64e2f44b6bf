import { z } from "zod";

// Bodies of the worker protocol (app/api/v1/workers/**, server/engine/execution/worker-protocol.ts).
// Until API keys land (a later issue), a worker names itself with `worker_id` in the body.

const workerId = z
  .string()
  .trim()
  .min(1, "A worker id is required")
  .max(128)
  .regex(/^[\w.:@/-]+$/, "Letters, digits and . _ : @ / - only");

const leaseSeconds = z.number().int().min(5).max(3_600);

export const claimInput = z.object({
  worker_id: workerId,
  /** skill_target values this worker executes; "*" = any. */
  skills: z.array(z.string().trim().min(1).max(128)).min(1, "Name at least one skill").max(50),
  max: z.number().int().min(1).max(50).optional(),
  lease_seconds: leaseSeconds.optional(),
  /** Long-poll: with nothing to claim, wait up to this long for work before answering. */
  wait_seconds: z.number().min(0).max(30).optional(),
});

export const heartbeatInput = z.object({
  worker_id: workerId,
  progress_percent: z
    .number({ error: "An integer from 0 to 100" })
    .int("An integer from 0 to 100")
    .min(0, "An integer from 0 to 100")
    .max(100, "An integer from 0 to 100")
    .optional(),
  current_step: z.string().trim().min(1).max(128).optional(),
  lease_seconds: leaseSeconds.optional(),
});

// Bodies come from JSON.parse, so any value here is JSON already; z.json() would say the same but
// is recursive, which the OpenAPI generator cannot walk.
const outputItem = z.union([z.string().max(4_000), z.record(z.string(), z.unknown())]);
const outputList = z.array(outputItem).max(100);

const output = z
  .object({
    deliverables: outputList.optional(),
    notes: outputList.optional(),
    next_actions: outputList.optional(),
  })
  .optional();

export const completeInput = z.object({ worker_id: workerId, output });

/**
 * Many results at once (POST /workers/complete): each answers for itself. With `claim`, the
 * worker's next tasks are claimed in the same statement, once the results have freed their slots.
 */
export const completeManyInput = z.object({
  worker_id: workerId,
  claim: claimInput.pick({ skills: true, max: true, lease_seconds: true }).optional(),
  results: z
    .array(
      z.object({
        task_id: z.string().regex(/^TASK-\d{4}-\d{6}$/, "Not a task id (TASK-YYYY-NNNNNN)"),
        output,
      }),
    )
    .min(1, "At least one result")
    .max(50, "At most 50 results"),
});

export const failInput = z.object({
  worker_id: workerId,
  error: z.string().trim().min(1, "Describe the error").max(2_000),
  recoverable: z.boolean({ error: "Say whether a retry may help (true / false)" }),
});

export const blockInput = z.object({
  worker_id: workerId,
  reason: z.string().trim().min(1, "A reason is required").max(1_000),
});

export type ClaimInput = z.infer<typeof claimInput>;
export type HeartbeatInput = z.infer<typeof heartbeatInput>;
export type CompleteInput = z.infer<typeof completeInput>;
export type FailInput = z.infer<typeof failInput>;
