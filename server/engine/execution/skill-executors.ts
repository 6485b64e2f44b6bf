import { randomBytes } from "node:crypto";
import {
  type CreateExecutorInput,
  DEFAULT_WEBHOOK_LEASE_SECONDS,
  type ExecutorKind,
  type ExecutorView,
  type UpdateExecutorInput,
  webhookWorkerId,
} from "@/lib/schemas/skills";
import type { DeliveryStatus } from "@/lib/schemas/webhooks";
import type { Prisma, SkillExecutor } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, type FieldError, notFound, validationError } from "../errors";
import { generateSecret, secretHint } from "../integrations/signing";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";

// Executors, configured per skill (a task's skill_target). Three kinds:
//
// - worker: pull workers claim the skill's tasks over the worker API (worker-protocol.ts). This
//   is also what a skill without a row, or with a disabled row, gets (and the simulator in demo
//   mode): configuring "worker" only documents it.
// - webhook: the dispatcher pushes each dispatched task to the skill's URL (webhook-push.ts),
//   signed per Standard Webhooks with the skill's secret; the skill answers through the worker
//   API as worker_id "webhook:<skill>".
// - human: dispatched tasks are assigned to the team and wait SCHEDULED; a person starts and
//   completes them (POST /tasks/{id}/transition). No lease: nothing expires while people work.
//
// Webhook and human skills are never handed to pull workers nor the simulator (the claim
// leaves them out). A webhook executor's pushes travel as webhook deliveries of a hidden
// subscription (kind "skill_executor", id sx_…) that mirrors its URL, secret and enabled flag:
// the delivery worker signs, sends, retries and logs them like every other webhook. That
// subscription is managed here only: the /webhooks API neither lists nor accepts it, and the
// outbox sweep never gives it events.
//
// Configuration CRUD is audited ("executor.created" / "executor.updated" / "executor.deleted").

export const SKILL_EXECUTOR_SUBSCRIPTION_KIND = "skill_executor";

/** Executors that change how a skill's tasks are handed out (enabled webhook and human rows). */
export type ActiveExecutor = SkillExecutor & { kind: "webhook" | "human" };

const iso = (d: Date): string => d.toISOString();

export function toExecutorView(
  row: SkillExecutor,
  deliveries?: Record<DeliveryStatus, number>,
): ExecutorView {
  return {
    skill: row.skill,
    kind: row.kind,
    enabled: row.enabled,
    description: row.description,
    url: row.url,
    secret_hint: row.secret ? secretHint(row.secret) : null,
    lease_seconds: row.leaseSeconds,
    team: row.team,
    worker_id: row.kind === "webhook" ? webhookWorkerId(row.skill) : null,
    created_at: iso(row.createdAt),
    created_by: row.createdBy,
    updated_at: iso(row.updatedAt),
    updated_by: row.updatedBy,
    ...(deliveries ? { deliveries } : {}),
  };
}

/** The enabled webhook / human executors, by skill (a small table: read whole). */
export async function activeExecutors(
  db: Tx | EngineContext["prisma"],
): Promise<Map<string, ActiveExecutor>> {
  const rows = await db.skillExecutor.findMany({
    where: {
      enabled: true,
      OR: [{ kind: "human" }, { kind: "webhook", subscriptionId: { not: null } }],
    },
  });
  return new Map(rows.map((row) => [row.skill, row as ActiveExecutor]));
}

/**
 * SQL condition (for a task aliased `alias`) true when an enabled webhook or human executor
 * serves its skill: such tasks are never claimed by pull workers nor the simulator.
 */
export function servedByPushOrPeopleSql(alias: string): string {
  return `EXISTS (SELECT 1 FROM skill_executors e WHERE e.skill = ${alias}.skill_target AND e.enabled AND e.kind IN ('webhook', 'human'))`;
}

interface ExecutorConfig {
  kind: ExecutorKind;
  url: string | null;
  secret: string | null;
  leaseSeconds: number | null;
  team: string | null;
}

const ONLY_FOR: Record<"url" | "secret" | "lease_seconds" | "team", ExecutorKind> = {
  url: "webhook",
  secret: "webhook",
  lease_seconds: "webhook",
  team: "human",
};

/** What each kind needs and refuses; `given` names the fields the caller sent. */
function checkConfig(config: ExecutorConfig, given: readonly string[]): void {
  const fields: FieldError[] = [];
  for (const [field, kind] of Object.entries(ONLY_FOR)) {
    if (given.includes(field) && config.kind !== kind) {
      fields.push({ path: field, message: `Only for kind ${kind} (this executor is ${config.kind})` });
    }
  }
  if (config.kind === "webhook" && !config.url) {
    fields.push({ path: "url", message: "A webhook executor needs the receiver's URL" });
  }
  if (config.kind === "human" && !config.team) {
    fields.push({ path: "team", message: "A human executor needs the team its tasks are assigned to" });
  }
  if (fields.length > 0) throw validationError(fields);
}

const given = (input: Record<string, unknown>) => Object.keys(input).filter((k) => input[k] !== undefined);

async function deliveryCounts(db: Tx | EngineContext["prisma"], subscriptionId: string) {
  const groups = await db.webhookDelivery.groupBy({
    by: ["status"],
    where: { subscriptionId },
    _count: { _all: true },
  });
  const counts: Record<DeliveryStatus, number> = { pending: 0, succeeded: 0, failed: 0 };
  for (const g of groups) counts[g.status as DeliveryStatus] = g._count._all;
  return counts;
}

export async function listExecutors(ctx: EngineContext): Promise<ExecutorView[]> {
  const rows = await ctx.prisma.skillExecutor.findMany({ orderBy: { skill: "asc" } });
  return rows.map((row) => toExecutorView(row));
}

export async function getExecutor(ctx: EngineContext, skill: string): Promise<ExecutorView> {
  const row = await ctx.prisma.skillExecutor.findUnique({ where: { skill } });
  if (!row) throw notFound("Executor of skill", skill);
  return toExecutorView(
    row,
    row.subscriptionId ? await deliveryCounts(ctx.prisma, row.subscriptionId) : undefined,
  );
}

export interface ExecutorWithSecret {
  executor: ExecutorView;
  /** The whole secret: returned when made or rotated, never again. */
  secret?: string;
}

/** The hidden subscription carrying a webhook executor's pushes (see above). */
async function createChannel(
  tx: Tx,
  at: Date,
  row: { skill: string; url: string; secret: string; enabled: boolean },
  actor: Actor,
) {
  const channel = await tx.webhookSubscription.create({
    data: {
      id: `sx_${randomBytes(12).toString("hex")}`,
      kind: SKILL_EXECUTOR_SUBSCRIPTION_KIND,
      name: `executor of skill ${row.skill}`,
      url: row.url,
      secret: row.secret,
      // No event types: the outbox sweep never plans events for it (and skips its kind anyway).
      eventTypes: [],
      enabled: row.enabled,
      sinceEventId: 0n,
      createdAt: at,
      createdBy: actor.id,
      updatedAt: at,
    },
  });
  return channel.id;
}

/** Pending pushes that will not be sent: the executor was disabled. */
async function dropPendingPushes(tx: Tx, at: Date, subscriptionId: string, why: string): Promise<number> {
  const dropped = await tx.webhookDelivery.updateMany({
    where: { subscriptionId, status: "pending" },
    data: { status: "failed", lastError: why, nextAttemptAt: null, completedAt: at },
  });
  return dropped.count;
}

export async function createExecutor(
  ctx: EngineContext,
  input: CreateExecutorInput,
  actor: Actor,
): Promise<ExecutorWithSecret> {
  const webhook = input.kind === "webhook";
  const config: ExecutorConfig = {
    kind: input.kind,
    url: input.url ?? null,
    secret: webhook ? (input.secret ?? generateSecret()) : null,
    leaseSeconds: webhook ? (input.lease_seconds ?? DEFAULT_WEBHOOK_LEASE_SECONDS) : null,
    team: input.team ?? null,
  };
  checkConfig(config, given(input));
  return inTransaction(ctx, async (tx, at) => {
    const existing = await tx.skillExecutor.findUnique({
      where: { skill: input.skill },
      select: { skill: true },
    });
    if (existing) {
      throw new DomainError(
        "CONFLICT",
        `Skill ${input.skill} already has an executor: change it with PATCH /api/v1/skills/{skill}`,
        { skill: input.skill },
      );
    }
    const enabled = input.enabled ?? true;
    const subscriptionId =
      webhook && config.url && config.secret
        ? await createChannel(
            tx,
            at,
            { skill: input.skill, url: config.url, secret: config.secret, enabled },
            actor,
          )
        : null;
    const row = await tx.skillExecutor.create({
      data: {
        skill: input.skill,
        kind: config.kind,
        description: input.description ?? "",
        enabled,
        url: config.url,
        secret: config.secret,
        leaseSeconds: config.leaseSeconds,
        team: config.team,
        subscriptionId,
        createdAt: at,
        createdBy: actor.id,
        updatedAt: at,
        updatedBy: actor.id,
      },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "executor.created",
      details: {
        skill: row.skill,
        kind: row.kind,
        enabled: row.enabled,
        ...(row.url ? { url: row.url } : {}),
        ...(row.team ? { team: row.team } : {}),
      },
    });
    return { executor: toExecutorView(row), ...(config.secret ? { secret: config.secret } : {}) };
  });
}

async function lockExecutor(tx: Tx, skill: string): Promise<SkillExecutor> {
  const locked = await tx.$queryRaw<{ skill: string }[]>`
    SELECT skill FROM skill_executors WHERE skill = ${skill} FOR UPDATE`;
  const row = locked.length > 0 ? await tx.skillExecutor.findUnique({ where: { skill } }) : null;
  if (!row) throw notFound("Executor of skill", skill);
  return row;
}

export function updateExecutor(
  ctx: EngineContext,
  skill: string,
  input: UpdateExecutorInput,
  actor: Actor,
): Promise<ExecutorWithSecret> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockExecutor(tx, skill);
    const kind = input.kind ?? row.kind;
    const webhook = kind === "webhook";
    const wasWebhook = row.kind === "webhook";
    const fields = given(input).filter((k) => k !== "rotate_secret");
    if (input.rotate_secret) fields.push("secret");
    // A secret is made when the executor becomes a webhook, or on request.
    const newSecret = webhook && (input.rotate_secret || !row.secret) ? generateSecret() : undefined;
    const config: ExecutorConfig = {
      kind,
      url: webhook ? (input.url ?? row.url) : null,
      secret: webhook ? (newSecret ?? row.secret) : null,
      leaseSeconds: webhook
        ? (input.lease_seconds ?? row.leaseSeconds ?? DEFAULT_WEBHOOK_LEASE_SECONDS)
        : null,
      team: kind === "human" ? (input.team ?? row.team) : null,
    };
    checkConfig(config, fields);
    const enabled = input.enabled ?? row.enabled;

    let subscriptionId = row.subscriptionId;
    if (subscriptionId && (!webhook || !enabled)) {
      await dropPendingPushes(
        tx,
        at,
        subscriptionId,
        webhook
          ? "not sent: the skill's executor was disabled"
          : "not sent: the skill is no longer a webhook",
      );
    }
    if (!webhook && subscriptionId) {
      // The delivery log goes with the channel.
      await tx.webhookSubscription.delete({ where: { id: subscriptionId } });
      subscriptionId = null;
    } else if (webhook && config.url && config.secret) {
      if (subscriptionId) {
        await tx.webhookSubscription.update({
          where: { id: subscriptionId },
          data: { url: config.url, secret: config.secret, enabled, updatedAt: at },
        });
      } else {
        subscriptionId = await createChannel(
          tx,
          at,
          { skill, url: config.url, secret: config.secret, enabled },
          actor,
        );
      }
    }

    const data: Prisma.SkillExecutorUncheckedUpdateInput = {
      kind,
      url: config.url,
      secret: config.secret,
      leaseSeconds: config.leaseSeconds,
      team: config.team,
      enabled,
      subscriptionId,
      ...(input.description !== undefined && { description: input.description }),
      updatedAt: at,
      updatedBy: actor.id,
    };
    const updated = await tx.skillExecutor.update({ where: { skill }, data });
    await writeAudit(tx, {
      at,
      actor,
      action: "executor.updated",
      details: {
        skill,
        changed: fields,
        ...(input.kind && input.kind !== row.kind ? { from_kind: row.kind, kind } : {}),
        ...(newSecret ? { secret_rotated: wasWebhook } : {}),
      },
    });
    return { executor: toExecutorView(updated), ...(newSecret ? { secret: newSecret } : {}) };
  });
}

/**
 * Removes the configuration: the skill is served by pull workers again. Tasks already pushed
 * keep their lease; if the skill never answers, lease expiry sends them to retry as usual.
 */
export function deleteExecutor(ctx: EngineContext, skill: string, actor: Actor): Promise<void> {
  return inTransaction(ctx, async (tx, at) => {
    const row = await lockExecutor(tx, skill);
    await tx.skillExecutor.delete({ where: { skill } });
    if (row.subscriptionId) await tx.webhookSubscription.delete({ where: { id: row.subscriptionId } });
    await writeAudit(tx, {
      at,
      actor,
      action: "executor.deleted",
      details: { skill, kind: row.kind },
    });
  });
}
