import type { z } from "zod";
import { intakeRequest } from "@/lib/schemas/intake";
import { instantiateTemplateInput } from "@/lib/schemas/task-commands";
import { createTaskInput } from "@/lib/schemas/task-input";
import {
  type CreateSourceInput,
  type InboundAction,
  inboundMessage,
  type SourceView,
  type UpdateSourceInput,
} from "@/lib/schemas/webhooks";
import { findTemplate } from "@/lib/templates";
import type { InboundWebhookSource, Prisma } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, type FieldError, isDomainError, notFound, validationError } from "../errors";
import { submitIntake } from "../intake/submit-intake";
import { createTaskInTx } from "../queue/create-task";
import { inTransaction } from "../state/transaction";
import { instantiateTemplateInTx } from "../state/workflow-engine";
import { writeAudit } from "../tracking/audit";
import { generateSecret, secretHint, verifyMessage } from "./signing";

// Inbound webhooks (SPEC §9 "external APIs"): sources configured by admins POST signed
// Standard Webhooks messages to /api/v1/webhooks/inbound/{source}. The signature is the
// authentication (the source's secret, 5-minute timestamp tolerance). A message is processed
// once per webhook-id: a replay answers with the first result and creates nothing.
//
//   {"type": "task.create", "data": <task>}  create_task source: one task (default queue
//                                            when the task names none);
//                                            instantiate_template source: the source's
//                                            template, data = {intake_id?, context?, priority?}
//   {"type": "intake", "data": <intake request>}  any source: as POST /api/v1/intake

export const MAX_INBOUND_BYTES = 1_000_000;

const iso = (d: Date) => d.toISOString();

export function toSourceView(row: InboundWebhookSource): SourceView {
  return {
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    action: row.action as InboundAction,
    default_queue: row.defaultQueue,
    template_id: row.templateId,
    secret_hint: secretHint(row.secret),
    url_path: `/api/v1/webhooks/inbound/${row.name}`,
    created_at: iso(row.createdAt),
    created_by: row.createdBy,
    updated_at: iso(row.updatedAt),
  };
}

function checkSourceConfig(action: string, templateId: string | null | undefined): void {
  if (action === "instantiate_template") {
    if (!templateId)
      throw validationError([
        { path: "template_id", message: "Required when action is instantiate_template" },
      ]);
  }
  if (templateId && !findTemplate(templateId)) {
    throw validationError([{ path: "template_id", message: `Unknown template ${templateId}` }]);
  }
}

export async function listSources(ctx: EngineContext): Promise<SourceView[]> {
  const rows = await ctx.prisma.inboundWebhookSource.findMany({ orderBy: { name: "asc" } });
  return rows.map(toSourceView);
}

export async function getSource(ctx: EngineContext, name: string): Promise<SourceView> {
  const row = await ctx.prisma.inboundWebhookSource.findUnique({ where: { name } });
  if (!row) throw notFound("Webhook source", name);
  return toSourceView(row);
}

export interface SourceWithSecret {
  source: SourceView;
  secret?: string;
}

export async function createSource(
  ctx: EngineContext,
  input: CreateSourceInput,
  actor: Actor,
): Promise<SourceWithSecret> {
  const action = input.action ?? "create_task";
  checkSourceConfig(action, input.template_id);
  return inTransaction(ctx, async (tx, at) => {
    if (await tx.inboundWebhookSource.findUnique({ where: { name: input.name }, select: { name: true } })) {
      throw new DomainError("CONFLICT", `A webhook source named ${input.name} exists`, {
        fields: [{ path: "name", message: "Already taken" }],
      });
    }
    const secret = input.secret ?? generateSecret();
    const [row] = await tx.inboundWebhookSource.createManyAndReturn({
      data: [
        {
          name: input.name,
          description: input.description ?? "",
          secret,
          enabled: input.enabled ?? true,
          action,
          defaultQueue: input.default_queue ?? null,
          templateId: input.template_id ?? null,
          createdAt: at,
          createdBy: actor.id,
          updatedAt: at,
        },
      ],
      skipDuplicates: true,
    });
    if (!row) {
      throw new DomainError("CONFLICT", `A webhook source named ${input.name} exists`, {
        fields: [{ path: "name", message: "Already taken" }],
      });
    }
    await writeAudit(tx, {
      at,
      actor,
      action: "webhook_source.created",
      details: { source: row.name, action, template_id: row.templateId, default_queue: row.defaultQueue },
    });
    return { source: toSourceView(row), secret };
  });
}

export function updateSource(
  ctx: EngineContext,
  name: string,
  input: UpdateSourceInput,
  actor: Actor,
): Promise<SourceWithSecret> {
  return inTransaction(ctx, async (tx, at) => {
    const locked = await tx.$queryRaw<{ name: string }[]>`
      SELECT name FROM inbound_webhook_sources WHERE name = ${name} FOR UPDATE`;
    const row = locked.length > 0 ? await tx.inboundWebhookSource.findUnique({ where: { name } }) : null;
    if (!row) throw notFound("Webhook source", name);
    const action = input.action ?? row.action;
    const templateId = input.template_id !== undefined ? input.template_id : row.templateId;
    checkSourceConfig(action, templateId);
    const secret = input.rotate_secret ? generateSecret() : undefined;
    const updated = await tx.inboundWebhookSource.update({
      where: { name },
      data: {
        ...(input.description !== undefined && { description: input.description }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        action,
        templateId,
        ...(input.default_queue !== undefined && { defaultQueue: input.default_queue }),
        ...(secret && { secret }),
        updatedAt: at,
      },
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "webhook_source.updated",
      details: {
        source: name,
        changed: Object.keys(input).filter((k) => input[k as keyof UpdateSourceInput] !== undefined),
      },
    });
    return { source: toSourceView(updated), ...(secret ? { secret } : {}) };
  });
}

export function deleteSource(ctx: EngineContext, name: string, actor: Actor): Promise<void> {
  return inTransaction(ctx, async (tx, at) => {
    const { count } = await tx.inboundWebhookSource.deleteMany({ where: { name } });
    if (count === 0) throw notFound("Webhook source", name);
    await writeAudit(tx, { at, actor, action: "webhook_source.deleted", details: { source: name } });
  });
}

// ── Receiving ──────────────────────────────────────────────────────────────────────────────

export interface InboundResult {
  source: string;
  messageId: string;
  type: string;
  /** 201 when this message created the tasks, 200 for a replay. */
  status: 200 | 201;
  replayed: boolean;
  intakeId: string | null;
  taskIds: string[];
}

interface StoredAnswer {
  type: string;
  intake_id: string | null;
  task_ids: string[];
}

const unauthenticated = (message: string) => new DomainError("UNAUTHENTICATED", message);

function parseData<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const fields: FieldError[] = result.error.issues.map((issue) => ({
      path: ["data", ...issue.path.map(String)].join("."),
      message: issue.message,
    }));
    throw validationError(fields);
  }
  return result.data;
}

type Work =
  | { kind: "task"; input: z.infer<typeof createTaskInput> }
  | { kind: "template"; templateId: string; params: z.infer<typeof instantiateTemplateInput> }
  | { kind: "intake"; input: z.infer<typeof intakeRequest> };

function workOf(source: InboundWebhookSource, body: string): { type: string; work: Work } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw validationError([{ path: "(body)", message: "Malformed JSON" }]);
  }
  const envelope = inboundMessage.safeParse(json);
  if (!envelope.success) {
    throw validationError(
      envelope.error.issues.map((i) => ({
        path: i.path.map(String).join(".") || "(body)",
        message: i.message,
      })),
    );
  }
  const { type, data } = envelope.data;
  if (type === "intake") return { type, work: { kind: "intake", input: parseData(intakeRequest, data) } };
  if (source.action === "instantiate_template" && source.templateId) {
    return {
      type,
      work: {
        kind: "template",
        templateId: source.templateId,
        params: parseData(instantiateTemplateInput, data ?? {}),
      },
    };
  }
  const input = parseData(createTaskInput, data);
  const queue =
    input.queue?.name === undefined && source.defaultQueue
      ? { ...input.queue, name: source.defaultQueue as NonNullable<typeof input.queue>["name"] }
      : input.queue;
  return { type, work: { kind: "task", input: { ...input, queue } } };
}

async function recordMessage(
  tx: Tx,
  at: Date,
  source: string,
  messageId: string,
  answer: StoredAnswer,
  actor: Actor,
  created: boolean,
): Promise<boolean> {
  const { count } = await tx.inboundWebhookMessage.createMany({
    data: [
      {
        sourceName: source,
        messageId,
        type: answer.type,
        status: created ? 201 : 200,
        response: answer as unknown as Prisma.InputJsonObject,
        receivedAt: at,
      },
    ],
    skipDuplicates: true,
  });
  if (count === 1) {
    await writeAudit(tx, {
      at,
      actor,
      action: "webhook.inbound_received",
      details: {
        source,
        webhook_id: messageId,
        type: answer.type,
        intake_id: answer.intake_id,
        task_ids: answer.task_ids,
      },
    });
  }
  return count === 1;
}

/** Field errors the engine reports about the task name paths inside the message's data. */
async function underData<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isDomainError(error) && error.code === "VALIDATION" && error.details.fields) {
      throw validationError(error.details.fields.map((f) => ({ ...f, path: `data.${f.path}` })));
    }
    throw error;
  }
}

const replay = (source: string, messageId: string, stored: StoredAnswer): InboundResult => ({
  source,
  messageId,
  type: stored.type,
  status: 200,
  replayed: true,
  intakeId: stored.intake_id,
  taskIds: stored.task_ids,
});

/**
 * Handles one inbound message: unknown or disabled source → NOT_FOUND; bad or missing
 * signature (or a timestamp over 5 minutes off) → UNAUTHENTICATED, nothing written; bad body →
 * VALIDATION naming the field; a webhook-id seen before → the first answer (replayed).
 */
export async function receiveInbound(
  ctx: EngineContext,
  sourceName: string,
  body: string,
  headers: Headers,
): Promise<InboundResult> {
  const source = await ctx.prisma.inboundWebhookSource.findUnique({ where: { name: sourceName } });
  if (!source?.enabled) throw notFound("Webhook source", sourceName);
  const verified = verifyMessage(source.secret, body, headers);
  if (!verified.ok) throw unauthenticated(`Webhook signature refused: ${verified.reason}`);
  const messageId = verified.messageId;
  if (messageId.length > 200)
    throw validationError([{ path: "webhook-id", message: "At most 200 characters" }]);

  const seen = await ctx.prisma.inboundWebhookMessage.findUnique({
    where: { sourceName_messageId: { sourceName, messageId } },
  });
  if (seen) return replay(sourceName, messageId, seen.response as unknown as StoredAnswer);

  const { type, work } = workOf(source, body);
  const actor: Actor = { id: `webhook:${source.name}`, role: "system" };

  if (work.kind === "intake") {
    // submitIntake is idempotent by intake_id and runs its own transaction; a concurrent replay
    // of this message gets the same tasks from it.
    const result = await underData(() => submitIntake(ctx, work.input, actor));
    const answer: StoredAnswer = { type, intake_id: result.intakeId, task_ids: result.taskIds };
    const first = await inTransaction(ctx, (tx, at) =>
      recordMessage(tx, at, sourceName, messageId, answer, actor, !result.replayed),
    );
    return {
      source: sourceName,
      messageId,
      type,
      status: first && !result.replayed ? 201 : 200,
      replayed: !first || result.replayed,
      intakeId: result.intakeId,
      taskIds: result.taskIds,
    };
  }

  return underData(() => createFromMessage(ctx, sourceName, messageId, type, work, actor));
}

function createFromMessage(
  ctx: EngineContext,
  sourceName: string,
  messageId: string,
  type: string,
  work: Exclude<Work, { kind: "intake" }>,
  actor: Actor,
): Promise<InboundResult> {
  return inTransaction(ctx, async (tx, at) => {
    // Concurrent deliveries of one message serialise here; the second finds the first's answer.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`inbound:${sourceName}:${messageId}`}))`;
    const again = await tx.inboundWebhookMessage.findUnique({
      where: { sourceName_messageId: { sourceName, messageId } },
    });
    if (again) return replay(sourceName, messageId, again.response as unknown as StoredAnswer);
    const tasks =
      work.kind === "task"
        ? [await createTaskInTx(tx, at, work.input, actor)]
        : await instantiateTemplateInTx(tx, at, work.templateId, work.params, actor);
    const answer: StoredAnswer = {
      type,
      intake_id: work.kind === "task" ? (work.input.intake_id ?? null) : (work.params.intake_id ?? null),
      task_ids: tasks.map((t) => t.id),
    };
    await recordMessage(tx, at, sourceName, messageId, answer, actor, true);
    return {
      source: sourceName,
      messageId,
      type,
      status: 201,
      replayed: false,
      intakeId: answer.intake_id,
      taskIds: answer.task_ids,
    };
  });
}
