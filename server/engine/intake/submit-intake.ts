import { createHash } from "node:crypto";
import type { IntakeRequest } from "@/lib/schemas/intake";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError } from "../errors";
import { createTaskInTx } from "../queue/create-task";
import { inTransaction } from "../state/transaction";
import { instantiateTemplateInTx } from "../state/workflow-engine";
import { writeAudit } from "../tracking/audit";

export interface IntakeResult {
  intakeId: string;
  taskIds: string[];
  /** True when this request repeated an earlier one: nothing new was created. */
  replayed: boolean;
}

/** Stable across key order, so a retry of the same JSON hashes the same. */
function requestHash(input: IntakeRequest): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return createHash("sha256")
    .update(JSON.stringify(canonical(input)))
    .digest("hex");
}

async function createWork(tx: Tx, at: Date, input: IntakeRequest, actor: Actor): Promise<Task[]> {
  const context = { client: input.client, project: input.project };
  if (input.template) {
    return instantiateTemplateInTx(
      tx,
      at,
      input.template,
      { intake_id: input.intake_id, context, priority: input.priority, request: input.request },
      actor,
    );
  }
  const task = input.task!;
  const description = [task.definition.description, input.request].filter(Boolean).join("\n\n");
  const factors = [...(task.priority?.factors ?? []), ...(input.priority?.factors ?? [])];
  return [
    await createTaskInTx(
      tx,
      at,
      {
        ...task,
        intake_id: input.intake_id,
        context,
        definition: { ...task.definition, description: description || undefined },
        priority: { ...task.priority, factors: factors.length > 0 ? factors : undefined },
      },
      actor,
    ),
  ];
}

/**
 * Turns a qualified client-intake request into tasks, idempotently: by Idempotency-Key (the
 * same key with another body is a conflict) and by intake_id (a retry gets the tasks created
 * the first time). Concurrent retries serialise on advisory locks, so exactly one creates.
 */
export function submitIntake(
  ctx: EngineContext,
  input: IntakeRequest,
  actor: Actor,
  idempotencyKey?: string,
): Promise<IntakeResult> {
  return inTransaction(ctx, async (tx, at) => {
    const hash = requestHash(input);
    if (idempotencyKey) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`idempotency:${idempotencyKey}`}))`;
      const seen = await tx.idempotencyRecord.findUnique({ where: { key: idempotencyKey } });
      if (seen) {
        if (seen.requestHash !== hash) {
          throw new DomainError("CONFLICT", "This Idempotency-Key was used with a different request body", {
            fields: [{ path: "Idempotency-Key", message: "Reused with another body" }],
          });
        }
        const stored = seen.response as { intake_id: string; task_ids: string[] };
        return { intakeId: stored.intake_id, taskIds: stored.task_ids, replayed: true };
      }
    }
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`intake:${input.intake_id}`}))`;
    const existing = await tx.task.findMany({
      where: { intakeId: input.intake_id },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    const replayed = existing.length > 0;
    const taskIds = replayed
      ? existing.map((t) => t.id)
      : (await createWork(tx, at, input, actor)).map((t) => t.id);
    if (!replayed) {
      await writeAudit(tx, {
        at,
        actor,
        action: "intake.received",
        details: { intake_id: input.intake_id, task_ids: taskIds },
      });
    }
    if (idempotencyKey) {
      await tx.idempotencyRecord.create({
        data: {
          key: idempotencyKey,
          scope: actor.id,
          requestHash: hash,
          status: replayed ? 200 : 201,
          response: { intake_id: input.intake_id, task_ids: taskIds },
          createdAt: at,
        },
      });
    }
    return { intakeId: input.intake_id, taskIds, replayed };
  });
}
