import { z } from "zod";
import { webhookSecret, webhookUrl } from "./webhooks";

// Executor configuration per skill (a task's skill_target): pull workers (the default), a webhook
// the engine pushes dispatched tasks to, or a human team. Shared by the API and the UI.

export const EXECUTOR_KINDS = ["worker", "webhook", "human"] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

/** The lease a pushed task gets when the webhook executor names none. */
export const DEFAULT_WEBHOOK_LEASE_SECONDS = 300;

/** The worker_id a webhook skill uses on the worker API (lease owner of the tasks pushed to it). */
export const webhookWorkerId = (skill: string): string => `webhook:${skill}`;

/**
 * A skill name as tasks carry it in skill_target ("backend",
 * "project-management/avant-projet/brief-analysis"). Limited so that `webhook:<skill>` is a valid
 * worker_id; in URLs, encode it (a "/" as %2F).
 */
export const skillName = z
  .string()
  .trim()
  .min(1, "Give the skill's name (a task's skill_target)")
  .max(120)
  .regex(/^[A-Za-z0-9][\w.@/-]*$/, "Letters, digits and . _ @ / - only, starting with a letter or digit")
  .describe("The skill: tasks whose skill_target is exactly this");

const kind = z
  .enum(EXECUTOR_KINDS, { error: `kind: one of ${EXECUTOR_KINDS.join(", ")}` })
  .describe(
    "worker: pull workers claim the tasks (the default); webhook: dispatched tasks are POSTed to `url`; human: tasks are assigned to `team` and started and completed by people",
  );

const leaseSeconds = z
  .number({ error: "Whole seconds from 5 to 3600" })
  .int("Whole seconds from 5 to 3600")
  .min(5, "Whole seconds from 5 to 3600")
  .max(3_600, "Whole seconds from 5 to 3600")
  .describe(
    `webhook: the lease each pushed task gets (default ${DEFAULT_WEBHOOK_LEASE_SECONDS}); heartbeats extend it`,
  );

const team = z
  .string()
  .trim()
  .min(1, "Name the team")
  .max(128)
  .describe("human: the team dispatched tasks are assigned to (execution.assigned_to)");

const description = z.string().trim().max(1_000);

export const createExecutorInput = z
  .object({
    skill: skillName,
    kind,
    url: webhookUrl.optional().describe("webhook: the receiver's http(s) URL"),
    secret: webhookSecret.optional(),
    lease_seconds: leaseSeconds.optional(),
    team: team.optional(),
    enabled: z.boolean().optional(),
    description: description.optional(),
  })
  .strict();

export const updateExecutorInput = z
  .object({
    kind: kind.optional(),
    url: webhookUrl.optional(),
    lease_seconds: leaseSeconds.optional(),
    team: team.optional(),
    enabled: z.boolean().optional(),
    description: description.optional(),
    rotate_secret: z.literal(true).optional().describe("webhook: generate a new secret (returned once)"),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: "Nothing to update: give kind, url, lease_seconds, team, enabled, description or rotate_secret",
    path: ["kind"],
  });

export type CreateExecutorInput = z.infer<typeof createExecutorInput>;
export type UpdateExecutorInput = z.infer<typeof updateExecutorInput>;

export const skillParams = z.object({ skill: skillName });

export const executorView = z.object({
  skill: z.string(),
  kind: z.enum(EXECUTOR_KINDS),
  enabled: z.boolean(),
  description: z.string(),
  url: z.string().nullable(),
  secret_hint: z.string().nullable().describe("webhook: the secret's first characters"),
  lease_seconds: z.number().nullable(),
  team: z.string().nullable(),
  worker_id: z
    .string()
    .nullable()
    .describe("webhook: the worker_id the skill uses on the worker API (webhook:<skill>)"),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
  updated_by: z.string(),
  deliveries: z
    .object({ pending: z.number(), succeeded: z.number(), failed: z.number() })
    .optional()
    .describe("webhook, single reads: the push deliveries by status"),
});

export type ExecutorView = z.infer<typeof executorView>;

export const executorWithSecret = z.object({
  executor: executorView,
  secret: z.string().optional().describe("webhook: the whole secret, only when made or rotated"),
});
