import { randomBytes } from "node:crypto";
import {
  type CreateWebhookInput,
  DEFAULT_EVENT_TYPES,
  type DeliveryListQuery,
  type DeliveryStatus,
  type DeliveryView,
  type UpdateWebhookInput,
  type WebhookView,
} from "@/lib/schemas/webhooks";
import type { Prisma, WebhookDelivery, WebhookSubscription } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, notFound } from "../errors";
import { SKILL_EXECUTOR_SUBSCRIPTION_KIND } from "../execution/skill-executors";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { DELIVERY_SWEEP_LOCK_KEY, newMessageId } from "./delivery-sweep";
import { DEFAULT_DELIVERY_POLICY, sendSigned } from "./delivery-worker";
import { testMessage } from "./messages";
import { generateSecret, secretHint } from "./signing";

// Outbound webhook subscriptions (CRUD, audited) and their delivery log. The secret is returned
// whole only when the subscription is made or its secret rotated; reads show a hint.

export const CLIENT_INTAKE_ID = "client-intake";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toWebhookView(
  row: WebhookSubscription,
  counts?: Record<DeliveryStatus, number>,
): WebhookView {
  return {
    id: row.id,
    kind: row.kind === "client_intake" ? "client_intake" : "webhook",
    name: row.name,
    url: row.url,
    event_types: row.eventTypes,
    enabled: row.enabled,
    secret_hint: secretHint(row.secret),
    managed_by_env: row.kind === "client_intake",
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
    ...(counts ? { deliveries: counts } : {}),
  };
}

export function toDeliveryView(row: WebhookDelivery): DeliveryView {
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.body);
  } catch {
    payload = row.body;
  }
  return {
    id: row.id,
    webhook_id: row.subscriptionId,
    event_id: row.eventId?.toString() ?? null,
    event_type: row.eventType,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    next_attempt_at: iso(row.nextAttemptAt),
    last_attempt_at: iso(row.lastAttemptAt),
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    last_response_ms: row.lastResponseMs,
    created_at: row.createdAt.toISOString(),
    completed_at: iso(row.completedAt),
    payload,
  };
}

/** The newest event id, read under the delivery sweep's lock so no event falls between the two. */
export async function newestEventId(tx: Tx): Promise<bigint> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DELIVERY_SWEEP_LOCK_KEY}::bigint)`;
  const [row] = await tx.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM events`;
  return row?.max ?? 0n;
}

async function deliveryCounts(ctx: EngineContext, id: string): Promise<Record<DeliveryStatus, number>> {
  const groups = await ctx.prisma.webhookDelivery.groupBy({
    by: ["status"],
    where: { subscriptionId: id },
    _count: { _all: true },
  });
  const counts: Record<DeliveryStatus, number> = { pending: 0, succeeded: 0, failed: 0 };
  for (const g of groups) counts[g.status as DeliveryStatus] = g._count._all;
  return counts;
}

export async function listWebhooks(ctx: EngineContext): Promise<WebhookView[]> {
  const rows = await ctx.prisma.webhookSubscription.findMany({
    // Skill executors' channels are managed with their executor (/api/v1/skills), not here.
    where: { kind: { not: SKILL_EXECUTOR_SUBSCRIPTION_KIND } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => toWebhookView(row));
}

export async function getWebhook(ctx: EngineContext, id: string): Promise<WebhookView> {
  const row = await ctx.prisma.webhookSubscription.findUnique({ where: { id } });
  if (!row || row.kind === SKILL_EXECUTOR_SUBSCRIPTION_KIND) throw notFound("Webhook", id);
  return toWebhookView(row, await deliveryCounts(ctx, id));
}

export interface WebhookWithSecret {
  webhook: WebhookView;
  /** The whole secret: returned when made or rotated, never again. */
  secret?: string;
}

export function createWebhook(
  ctx: EngineContext,
  input: CreateWebhookInput,
  actor: Actor,
): Promise<WebhookWithSecret> {
  return inTransaction(ctx, async (tx, at) => {
    const secret = input.secret ?? generateSecret();
    const row = await tx.webhookSubscription.create({
      data: {
        id: `wh_${randomBytes(12).toString("hex")}`,
        kind: "webhook",
        name: input.name ?? "",
        url: input.url,
        secret,
        eventTypes: [...new Set(input.event_types ?? DEFAULT_EVENT_TYPES)],
        enabled: input.enabled ?? true,
        sinceEventId: await newestEventId(tx),
        createdAt: at,
        createdBy: actor.id,
        updatedAt: at,
      },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "webhook.created",
      details: { webhook_id: row.id, url: row.url, event_types: row.eventTypes, enabled: row.enabled },
    });
    return { webhook: toWebhookView(row), secret };
  });
}

function assertManagedHere(row: WebhookSubscription): void {
  if (row.kind === "client_intake") {
    throw new DomainError(
      "CONFLICT",
      "The client-intake notifier is configured by CLIENT_INTAKE_URL and CLIENT_INTAKE_SECRET, not the API",
      { id: row.id },
    );
  }
}

async function lockWebhook(tx: Tx, id: string): Promise<WebhookSubscription> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM webhook_subscriptions WHERE id = ${id} FOR UPDATE`;
  const row = locked.length > 0 ? await tx.webhookSubscription.findUnique({ where: { id } }) : null;
  if (!row || row.kind === SKILL_EXECUTOR_SUBSCRIPTION_KIND) throw notFound("Webhook", id);
  return row;
}

export function updateWebhook(
  ctx: EngineContext,
  id: string,
  input: UpdateWebhookInput,
  actor: Actor,
): Promise<WebhookWithSecret> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockWebhook(tx, id);
    assertManagedHere(row);
    const secret = input.rotate_secret ? generateSecret() : undefined;
    const data: Prisma.WebhookSubscriptionUpdateInput = {
      ...(input.url !== undefined && { url: input.url }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.event_types !== undefined && { eventTypes: [...new Set(input.event_types)] }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(secret && { secret }),
      updatedAt: at,
    };
    const updated = await tx.webhookSubscription.update({ where: { id }, data });
    await writeAudit(tx, {
      at,
      actor,
      action: "webhook.updated",
      details: {
        webhook_id: id,
        changed: Object.keys(input).filter((k) => input[k as keyof UpdateWebhookInput] !== undefined),
        ...(secret ? { secret_rotated: true } : {}),
      },
    });
    return { webhook: toWebhookView(updated), ...(secret ? { secret } : {}) };
  });
}

export function deleteWebhook(ctx: EngineContext, id: string, actor: Actor): Promise<void> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockWebhook(tx, id);
    assertManagedHere(row);
    await tx.webhookSubscription.delete({ where: { id } });
    await writeAudit(tx, { at, actor, action: "webhook.deleted", details: { webhook_id: id, url: row.url } });
  });
}

export async function listDeliveries(
  ctx: EngineContext,
  id: string,
  query: DeliveryListQuery,
): Promise<{ deliveries: DeliveryView[]; next_cursor: string | null }> {
  const exists = await ctx.prisma.webhookSubscription.findUnique({ where: { id }, select: { id: true } });
  if (!exists) throw notFound("Webhook", id);
  const limit = query.limit ?? 50;
  let before: Prisma.WebhookDeliveryWhereInput = {};
  if (query.cursor) {
    const last = await ctx.prisma.webhookDelivery.findUnique({
      where: { id: query.cursor },
      select: { createdAt: true, id: true },
    });
    if (last) {
      before = {
        OR: [{ createdAt: { lt: last.createdAt } }, { createdAt: last.createdAt, id: { lt: last.id } }],
      };
    }
  }
  const rows = await ctx.prisma.webhookDelivery.findMany({
    where: { subscriptionId: id, ...(query.status && { status: query.status }), ...before },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    deliveries: page.map(toDeliveryView),
    next_cursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export interface TestSendOptions {
  timeoutMs?: number;
  /** Wall time for the signature (default now). */
  signedAt?: Date;
  fetchImpl?: typeof fetch;
}

/**
 * Sends a signed "webhook.test" message now and records it in the delivery log (one attempt,
 * no retry). Works on a disabled subscription too: it is how one checks a receiver.
 */
export async function sendTestWebhook(
  ctx: EngineContext,
  id: string,
  actor: Actor,
  options: TestSendOptions = {},
): Promise<DeliveryView> {
  const row = await ctx.prisma.webhookSubscription.findUnique({ where: { id } });
  if (!row) throw notFound("Webhook", id);
  const at = ctx.clock.now();
  const messageId = newMessageId();
  const body = JSON.stringify(testMessage(id, at));
  const result = await sendSigned({
    url: row.url,
    secret: row.secret,
    messageId,
    body,
    at: options.signedAt ?? new Date(),
    timeoutMs: options.timeoutMs ?? DEFAULT_DELIVERY_POLICY.timeoutMs,
    fetchImpl: options.fetchImpl,
  });
  const done = ctx.clock.now();
  return inTransaction(ctx, async (tx) => {
    // Deleted while we were sending: nothing to log it under.
    if (!(await tx.webhookSubscription.findUnique({ where: { id }, select: { id: true } }))) {
      throw notFound("Webhook", id);
    }
    const delivery = await tx.webhookDelivery.create({
      data: {
        id: messageId,
        subscriptionId: id,
        eventId: null,
        eventType: "webhook.test",
        body,
        status: result.ok ? "succeeded" : "failed",
        attempts: 1,
        lastAttemptAt: done,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        lastResponseMs: result.responseMs,
        createdAt: at,
        completedAt: done,
        attemptLog: {
          create: {
            attempt: 1,
            trigger: "test",
            requestedBy: actor.id,
            startedAt: at,
            statusCode: result.statusCode,
            error: result.error,
            responseMs: result.responseMs,
            responseBody: result.responseBody,
          },
        },
      },
    });
    await writeAudit(tx, {
      at: done,
      actor,
      action: "webhook.tested",
      details: { webhook_id: id, delivery_id: messageId, ok: result.ok, status_code: result.statusCode },
    });
    return toDeliveryView(delivery);
  });
}
