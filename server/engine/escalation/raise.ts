import { randomUUID } from "node:crypto";
import type { EscalationReason, EscalationTarget, EscalationUrgency } from "@/lib/escalations";
import type { TaskStateName } from "@/lib/states";
import type { Escalation, Prisma, Task } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { writeAudit } from "../tracking/audit";
import { recordEvent } from "../tracking/events";
import { firstLevelTarget } from "./levels";
import { deadlineFor, escalatedToFor, suggestedActionFor, urgencyFor } from "./policy";

// The one door for opening an escalation (SPEC §7). Runs in the caller's transaction (the one
// that found the reason to escalate), so the escalation commits with that change or not at all.

/** The engine itself, when a sweep escalates. */
export const ESCALATION_ACTOR: Actor = { id: "task-orchestrator/escalation", role: "system" };

export interface RaiseEscalationInput {
  task: Pick<Task, "id" | "queueName" | "state">;
  reason: EscalationReason;
  /** What a person needs to decide; the seed's example: {current_state, blocker, blocked_since}. */
  context: Prisma.InputJsonObject;
  /** Defaults: policy.ts (reason, queue, task state). */
  urgency?: EscalationUrgency;
  suggestedAction?: string;
  /** Default: the first level of the escalation policy for the reason and queue (levels.ts). */
  escalatedTo?: EscalationTarget;
  deadline?: Date;
}

export interface RaisedEscalation {
  /** The escalation raised, or the one already open for this task and reason. */
  escalation: Escalation;
  /** false when one was already open (OPEN or ACKNOWLEDGED) for this task and reason: nothing written. */
  created: boolean;
}

/** The dedupe key: unique while the escalation is not resolved, null after. */
export const openKeyOf = (taskId: string, reason: string): string => `${taskId}:${reason}`;

/**
 * Opens an escalation in the seed's format, unless one is already open for the same task and
 * reason: then returns that one and writes nothing (no error). The unique `open_key` decides,
 * so concurrent raises in several transactions or server instances open exactly one
 * (`INSERT … ON CONFLICT DO NOTHING`; a conflicting insert in flight is waited for). A new
 * escalation is audited ("escalation.raised") and published as an event with its task id.
 */
export async function raiseEscalation(
  tx: Tx,
  at: Date,
  input: RaiseEscalationInput,
  actor: Actor,
): Promise<RaisedEscalation> {
  const { task, reason, context } = input;
  const state = task.state as TaskStateName;
  const urgency = input.urgency ?? urgencyFor(reason, task.queueName);
  const openKey = openKeyOf(task.id, reason);
  const data = {
    taskId: task.id,
    reason,
    urgency,
    context,
    suggestedAction: input.suggestedAction ?? suggestedActionFor(reason, state),
    escalatedTo:
      input.escalatedTo ?? (await firstLevelTarget(tx, task, reason)) ?? escalatedToFor(reason, state),
    level: 1,
    levelSince: at,
    deadline: input.deadline ?? deadlineFor(urgency, at),
    openKey,
    createdAt: at,
  };
  // Retried: the open one we collided with may have been resolved before we could read it.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const [created] = await tx.escalation.createManyAndReturn({
      data: [{ id: `ESC-${randomUUID()}`, ...data }],
      skipDuplicates: true,
    });
    if (created) {
      await writeAudit(tx, {
        at,
        actor,
        action: "escalation.raised",
        taskId: task.id,
        reason,
        details: {
          escalation_id: created.id,
          urgency,
          escalated_to: data.escalatedTo,
          deadline: data.deadline.toISOString(),
          context,
        },
      });
      await recordEvent(tx, {
        at,
        type: "escalation.raised",
        taskId: task.id,
        payload: {
          escalation_id: created.id,
          escalation_version: created.version,
          reason,
          urgency,
          status: "OPEN",
        },
      });
      return { escalation: created, created: true };
    }
    const open = await tx.escalation.findUnique({ where: { openKey } });
    if (open) return { escalation: open, created: false };
  }
  throw new Error(`Could not raise or find the open escalation ${openKey}`);
}
