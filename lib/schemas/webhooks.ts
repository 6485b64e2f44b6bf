import { z } from "zod";
import { QUEUE_NAMES } from "../queues";
import { createTaskInput } from "./task-input";

// Outbound webhook subscriptions, their delivery log, and inbound webhook sources (SPEC §9).
// Shared by the API (validation, OpenAPI) and the UI.

/**
 * An event type pattern: an exact type ("task.completed"), a prefix wildcard ("task.*",
 * "escalation.*") or everything ("*"). Wildcards leave out task.heartbeat (executor
 * keep-alives): name it to receive it.
 */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$/;

/** The event types a subscription may receive (documentation and UI hints; patterns match others too). */
export const WEBHOOK_EVENT_TYPES = [
  "task.created",
  "task.queued",
  "task.on_hold",
  "task.scheduled",
  "task.in_progress",
  "task.completed",
  "task.failed",
  "task.blocked",
  "task.unblocked",
  "task.cancelled",
  "task.edited",
  "task.moved",
  "task.reordered",
  "task.bumped",
  "task.rescored",
  "task.progress",
  "task.step_advanced",
  "task.dependency_added",
  "task.dependency_removed",
  "task.subtask_added",
  "task.archived",
  "escalation.raised",
  "escalation.acknowledged",
  "escalation.assigned",
  "escalation.resolved",
] as const;

export const DEFAULT_EVENT_TYPES = ["task.*", "escalation.*"];

function checkUrl(value: string, ctx: z.RefinementCtx): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "Not a URL" });
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: "Only http and https URLs" });
  } else if (url.username || url.password) {
    ctx.addIssue({ code: "custom", message: "No credentials in the URL: the signature authenticates" });
  } else if (!url.hostname) {
    ctx.addIssue({ code: "custom", message: "The URL has no host" });
  }
}

/** http(s), parseable, no user:password@ (the signature is the authentication). */
export const webhookUrl = z
  .string()
  .trim()
  .min(1, "Give the receiver's URL")
  .max(2_000)
  .superRefine(checkUrl)
  .describe("The receiver's http(s) URL");

/** A Standard Webhooks secret: whsec_ + base64 of 24-64 random bytes. */
export const webhookSecret = z
  .string()
  .trim()
  .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, "whsec_ followed by base64 of 24-64 bytes")
  .describe("Standard Webhooks secret (whsec_…); generated when left out");

const eventTypes = z
  .array(
    z
      .string()
      .trim()
      .max(100)
      .regex(EVENT_TYPE_PATTERN, 'An event type ("task.completed"), a wildcard ("task.*") or "*"'),
  )
  .min(1, "Give at least one event type or pattern")
  .max(50);

const name = z.string().trim().max(200);

export const createWebhookInput = z.object({
  url: webhookUrl,
  name: name.optional(),
  event_types: eventTypes.optional().describe(`Patterns; default ${DEFAULT_EVENT_TYPES.join(", ")}`),
  enabled: z.boolean().optional(),
  secret: webhookSecret.optional(),
});

export const updateWebhookInput = z
  .object({
    url: webhookUrl.optional(),
    name: name.optional(),
    event_types: eventTypes.optional(),
    enabled: z.boolean().optional(),
    rotate_secret: z.literal(true).optional().describe("Generate a new secret (returned once)"),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: "Nothing to update: give url, name, event_types, enabled or rotate_secret",
    path: ["url"],
  });

export type CreateWebhookInput = z.infer<typeof createWebhookInput>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const webhookIdParams = z.object({
  id: z.string().regex(/^(wh_[a-f0-9]{24}|client-intake)$/, "Not a webhook id"),
});

/** A delivery's id, also its webhook-id header. */
export const DELIVERY_ID_PATTERN = /^msg_[a-f0-9]{32}$/;

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryListQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The last delivery id of the previous page. */
  cursor: z.string().regex(DELIVERY_ID_PATTERN, "Not a delivery cursor").optional(),
});

export type DeliveryListQuery = z.infer<typeof deliveryListQuery>;

export const webhookView = z.object({
  id: z.string(),
  kind: z.enum(["webhook", "client_intake"]),
  name: z.string(),
  url: z.string(),
  event_types: z.array(z.string()),
  enabled: z.boolean(),
  secret_hint: z.string().describe("The secret's first characters; the whole secret is shown once"),
  managed_by_env: z
    .boolean()
    .describe("The client-intake notifier: set by CLIENT_INTAKE_URL, read-only here"),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
  deliveries: z
    .object({ pending: z.number(), succeeded: z.number(), failed: z.number() })
    .optional()
    .describe("Delivery counts (single-webhook reads)"),
});

export type WebhookView = z.infer<typeof webhookView>;

export const deliveryView = z.object({
  id: z.string().describe("The webhook-id header: the same on every attempt"),
  webhook_id: z.string(),
  event_id: z.string().nullable(),
  event_type: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  next_attempt_at: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_status_code: z.number().nullable(),
  last_error: z.string().nullable(),
  last_response_ms: z.number().nullable(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  payload: z.unknown(),
});

export type DeliveryView = z.infer<typeof deliveryView>;

export const deliveryParams = z.object({
  id: webhookIdParams.shape.id,
  deliveryId: z.string().regex(DELIVERY_ID_PATTERN, "Not a delivery id (msg_ and 32 hex digits)"),
});

export const ATTEMPT_TRIGGERS = ["automatic", "manual", "test"] as const;

export const deliveryAttemptView = z.object({
  attempt: z.number().describe("1-based"),
  trigger: z
    .enum(ATTEMPT_TRIGGERS)
    .describe("automatic: the delivery worker; manual: an admin's resend; test: a test message"),
  requested_by: z.string().nullable().describe("Who asked for a manual resend or a test"),
  started_at: z.string(),
  status_code: z.number().nullable().describe("null when no answer came (refused, timed out)"),
  error: z.string().nullable(),
  response_ms: z.number(),
  response_body: z.string().nullable().describe("The first 2 KB of the receiver's answer"),
});

export type DeliveryAttemptView = z.infer<typeof deliveryAttemptView>;

export const deliveryDetailView = deliveryView.extend({
  attempt_log: z.array(deliveryAttemptView).describe("Every attempt, oldest first"),
});

export type DeliveryDetailView = z.infer<typeof deliveryDetailView>;

// Inbound webhooks: external systems POST signed messages to /api/v1/webhooks/inbound/{source}.

export const INBOUND_ACTIONS = ["create_task", "instantiate_template"] as const;
export type InboundAction = (typeof INBOUND_ACTIONS)[number];

export const sourceName = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "1-63 lowercase letters, digits, _ or -, starting with a letter or digit",
  );

export const createSourceInput = z.object({
  name: sourceName,
  description: z.string().trim().max(1_000).optional(),
  enabled: z.boolean().optional(),
  action: z
    .enum(INBOUND_ACTIONS)
    .optional()
    .describe('What a "task.create" message does (default create_task)'),
  default_queue: z
    .enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` })
    .optional()
    .describe("create_task: the queue when the message names none"),
  template_id: z.string().trim().min(1).max(64).optional().describe("instantiate_template: the template"),
  secret: webhookSecret.optional(),
});

export const updateSourceInput = z
  .object({
    description: z.string().trim().max(1_000).optional(),
    enabled: z.boolean().optional(),
    action: z.enum(INBOUND_ACTIONS).optional(),
    default_queue: z
      .enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` })
      .nullable()
      .optional(),
    template_id: z.string().trim().min(1).max(64).nullable().optional(),
    rotate_secret: z.literal(true).optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: "Nothing to update",
    path: ["enabled"],
  });

export type CreateSourceInput = z.infer<typeof createSourceInput>;
export type UpdateSourceInput = z.infer<typeof updateSourceInput>;

export const sourceParams = z.object({ name: sourceName });
export const inboundParams = z.object({ source: z.string().max(100) });

export const sourceView = z.object({
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  action: z.enum(INBOUND_ACTIONS),
  default_queue: z.string().nullable(),
  template_id: z.string().nullable(),
  secret_hint: z.string(),
  url_path: z.string().describe("Where the source POSTs its messages"),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
});

export type SourceView = z.infer<typeof sourceView>;

/**
 * An inbound message, signed per Standard Webhooks (webhook-id, webhook-timestamp,
 * webhook-signature). `data` depends on `type`: "task.create" → the writable task format
 * (or, on an instantiate_template source, the template's parameters); "intake" → a
 * client-intake request.
 */
export const inboundMessage = z.object({
  type: z.enum(["task.create", "intake"], { error: 'type: "task.create" or "intake"' }),
  data: z.unknown(),
});

export const inboundMessageDoc = z.object({
  type: z.enum(["task.create", "intake"]),
  data: z.union([createTaskInput, z.record(z.string(), z.unknown())]),
});
