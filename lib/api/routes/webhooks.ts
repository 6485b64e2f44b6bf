import { z } from "zod";
import { seedTaskSchema } from "../../schemas/seed-task";
import {
  createSourceInput,
  createWebhookInput,
  deliveryAttemptView,
  deliveryDetailView,
  deliveryListQuery,
  deliveryParams,
  deliveryView,
  inboundMessageDoc,
  inboundParams,
  sourceParams,
  sourceView,
  updateSourceInput,
  updateWebhookInput,
  webhookIdParams,
  webhookView,
} from "../../schemas/webhooks";
import { defineRoute } from "../define-route";

const withSecret = z.object({
  webhook: webhookView,
  secret: z.string().optional().describe("The whole secret: only when made or rotated"),
});

export const listWebhooks = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks",
  permission: "webhooks:manage",
  summary: "Outbound webhook subscriptions (with the built-in client-intake notifier when configured)",
  tag: "webhooks",
  response: z.object({ webhooks: z.array(webhookView) }),
});

export const createWebhook = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks",
  permission: "webhooks:manage",
  summary:
    "Subscribe a URL to events (patterns like task.*, escalation.*, task.completed). Messages are signed per Standard Webhooks with the returned secret, shown this once",
  tag: "webhooks",
  body: createWebhookInput,
  response: withSecret,
  status: 201,
});

export const getWebhook = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/{id}",
  permission: "webhooks:manage",
  summary: "One subscription with its delivery counts",
  tag: "webhooks",
  params: webhookIdParams,
  response: z.object({ webhook: webhookView }),
});

export const updateWebhook = defineRoute({
  method: "PATCH",
  path: "/api/v1/webhooks/{id}",
  permission: "webhooks:manage",
  summary: "Change URL, name, event types, enable/disable, or rotate the secret (returned once)",
  tag: "webhooks",
  params: webhookIdParams,
  body: updateWebhookInput,
  response: withSecret,
});

export const deleteWebhook = defineRoute({
  method: "DELETE",
  path: "/api/v1/webhooks/{id}",
  permission: "webhooks:manage",
  summary: "Delete a subscription and its delivery log",
  tag: "webhooks",
  params: webhookIdParams,
  response: z.object({ deleted: z.string() }),
});

export const listDeliveries = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/{id}/deliveries",
  permission: "webhooks:manage",
  summary:
    "The delivery log, newest first: status, attempts, last status code or error, next attempt, response time",
  tag: "webhooks",
  params: webhookIdParams,
  query: deliveryListQuery,
  response: z.object({ deliveries: z.array(deliveryView), next_cursor: z.string().nullable() }),
});

/** What the two routes of one delivery share: admin only, under webhooks, addressed by both ids. */
const oneDelivery = { permission: "webhooks:manage", tag: "webhooks", params: deliveryParams } as const;

export const getDelivery = defineRoute({
  ...oneDelivery,
  method: "GET",
  path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}",
  summary:
    "One delivery with its payload and every attempt (status code or error, response time, first 2 KB of the answer)",
  response: z.object({ delivery: deliveryDetailView }),
});

export const redeliver = defineRoute({
  ...oneDelivery,
  method: "POST",
  path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  summary:
    "Resend a succeeded or failed delivery now: the same body and webhook-id, signed anew, as one more attempt (no automatic retry after it). 409 while the delivery is pending (the delivery worker owns it), 404 for an unknown delivery. Audited",
  response: z.object({
    delivery: deliveryDetailView,
    attempt: deliveryAttemptView.nullable().describe("The attempt just made"),
  }),
});

export const testWebhook = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/{id}/test",
  permission: "webhooks:manage",
  summary: "Send a signed webhook.test message now and answer with the attempt (no retry)",
  tag: "webhooks",
  params: webhookIdParams,
  response: z.object({ delivery: deliveryView }),
});

// Inbound sources.

const sourceWithSecret = z.object({ source: sourceView, secret: z.string().optional() });

export const listSources = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/sources",
  permission: "webhooks:manage",
  summary: "Inbound webhook sources: external systems allowed to create tasks by signed webhook",
  tag: "webhooks",
  response: z.object({ sources: z.array(sourceView) }),
});

export const createSource = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/sources",
  permission: "webhooks:manage",
  summary:
    "Add an inbound source; its secret (returned this once) signs the messages it POSTs to /api/v1/webhooks/inbound/{name}",
  tag: "webhooks",
  body: createSourceInput,
  response: sourceWithSecret,
  status: 201,
});

export const getSource = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/sources/{name}",
  permission: "webhooks:manage",
  summary: "One inbound source",
  tag: "webhooks",
  params: sourceParams,
  response: z.object({ source: sourceView }),
});

export const updateSource = defineRoute({
  method: "PATCH",
  path: "/api/v1/webhooks/sources/{name}",
  permission: "webhooks:manage",
  summary: "Enable/disable, change the action, default queue or template, or rotate the secret",
  tag: "webhooks",
  params: sourceParams,
  body: updateSourceInput,
  response: sourceWithSecret,
});

export const deleteSource = defineRoute({
  method: "DELETE",
  path: "/api/v1/webhooks/sources/{name}",
  permission: "webhooks:manage",
  summary: "Remove an inbound source",
  tag: "webhooks",
  params: sourceParams,
  response: z.object({ deleted: z.string() }),
});

export const receiveInbound = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/inbound/{source}",
  permission: "public",
  summary:
    'A signed message from an inbound source (Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature; 5-minute tolerance): {"type": "task.create", "data": task} or {"type": "intake", "data": intake request}. 401 on a bad signature, 404 for an unknown or disabled source; a repeated webhook-id answers 200 with the first result',
  tag: "webhooks",
  params: inboundParams,
  body: inboundMessageDoc,
  response: z.object({
    source: z.string(),
    webhook_id: z.string(),
    type: z.string(),
    replayed: z.boolean(),
    intake_id: z.string().nullable(),
    tasks: z.array(seedTaskSchema),
  }),
  status: 201,
});
