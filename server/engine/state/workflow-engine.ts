import type { CreateTaskInput } from "@/lib/schemas/task-input";
import { findTemplate } from "@/lib/templates";
import { nextStep, stepProgress, workflowSteps } from "@/lib/workflows";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, notFound } from "../errors";
import { createTaskInTx } from "../queue/create-task";
import { commitTaskChange, lockForChange } from "./commit-change";
import { inTransaction } from "./transaction";

// workflow-engine: a task type's ordered steps (`execution.current_step`, lib/workflows.ts)
// and templates that create a chain of dependent tasks in one go (lib/templates.ts).

/**
 * Moves a running task to its workflow's next step; progress becomes at least the share of
 * steps done. CONFLICT when the task is not IN_PROGRESS, its type has no steps, or it is at
 * the last step (completing it is completeTask's job).
 */
export function advanceStep(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: { expectedVersion?: number } = {},
): Promise<Task> {
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    if (task.state !== "IN_PROGRESS") {
      throw new DomainError(
        "CONFLICT",
        `Task ${taskId} is ${task.state}: only a running task moves through its steps`,
        {
          taskId,
          state: task.state,
        },
      );
    }
    const steps = workflowSteps(task.type);
    if (steps.length === 0) {
      throw new DomainError("CONFLICT", `Task type ${task.type} has no workflow steps`, {
        taskId,
        type: task.type,
      });
    }
    const next = nextStep(task.type, task.currentStep);
    if (next === null) {
      throw new DomainError("CONFLICT", `Task ${taskId} is at its last step (${task.currentStep})`, {
        taskId,
        step: task.currentStep,
        steps: [...steps],
      });
    }
    const progress = Math.max(task.progressPercent, stepProgress(task.type, next));
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.step_advanced",
      patch: { currentStep: next, progressPercent: progress },
      details: { from: task.currentStep, to: next },
    });
    return updated;
  });
}

export interface TemplateParams {
  intake_id?: string;
  context?: CreateTaskInput["context"];
  /** Factors every task of the template gets (e.g. the client's). */
  priority?: { factors?: string[] };
  /** The client's words: kept in each task's description, so searching them finds the chain. */
  request?: string;
}

/** The template task's definition with the client's request after its own description. */
function withRequest<D extends { description?: string }>(definition: D, request: string | undefined): D {
  if (!request) return definition;
  return { ...definition, description: [definition.description, request].filter(Boolean).join("\n\n") };
}

/**
 * Creates the template's tasks in order, in one transaction, each blocked_by the earlier tasks
 * its template entry names. Returns them in template order. Unknown template → NOT_FOUND.
 */
export async function instantiateTemplate(
  ctx: EngineContext,
  templateId: string,
  params: TemplateParams,
  actor: Actor,
): Promise<Task[]> {
  if (!findTemplate(templateId)) throw notFound("Template", templateId);
  return inTransaction(ctx, (tx, now) => instantiateTemplateInTx(tx, now, templateId, params, actor));
}

/** The same inside the caller's transaction (intake creates a chain and its idempotency record together). */
export async function instantiateTemplateInTx(
  tx: Tx,
  now: Date,
  templateId: string,
  params: TemplateParams,
  actor: Actor,
): Promise<Task[]> {
  const template = findTemplate(templateId);
  if (!template) throw notFound("Template", templateId);
  const ids = new Map<string, string>();
  const tasks: Task[] = [];
  for (const entry of template.tasks) {
    const blockedBy = (entry.blocked_by ?? []).map((key) => {
      const id = ids.get(key);
      if (!id)
        throw new Error(`Template ${templateId}: ${entry.key} is blocked by unknown or later task ${key}`);
      return id;
    });
    const task = await createTaskInTx(
      tx,
      now,
      {
        intake_id: params.intake_id,
        definition: withRequest(entry.definition, params.request),
        queue: entry.queue ? { name: entry.queue } : undefined,
        priority: { factors: [...(params.priority?.factors ?? []), ...(entry.factors ?? [])] },
        execution: entry.estimated_duration_hours
          ? { estimated_duration_hours: entry.estimated_duration_hours }
          : undefined,
        dependencies: { blocked_by: blockedBy },
        context: params.context,
      },
      actor,
    );
    ids.set(entry.key, task.id);
    tasks.push(task);
  }
  // Earlier tasks got new versions when later ones named them as blockers: return them fresh.
  const fresh: Task[] = [];
  for (const t of tasks) fresh.push(await tx.task.findUniqueOrThrow({ where: { id: t.id } }));
  return fresh;
}
