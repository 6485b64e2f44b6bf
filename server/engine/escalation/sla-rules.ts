import type { Escalation, Prisma, Task } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import type { ForecastedTask } from "../forecast/queue-forecast";
import { SLA_AT_RISK_MS } from "../queue/sla";
import { commitEscalationChange } from "./inbox";
import { firstLevelTarget } from "./levels";
import { deadlineFor, escalatedToFor, suggestedActionFor, urgencyFor } from "./policy";
import { openKeyOf, type RaisedEscalation, raiseEscalation } from "./raise";

// The SLA escalations (README.md, "SLA"): "imminent" means the forecast says the task will not
// finish before a deadline that is less than 1 h away — never merely that a 1-hour queue exists;
// at the deadline an open imminent escalation becomes "breached" (the same escalation, its
// history in the audit log); "breached" is raised directly only for a deadline that passed
// without an imminent escalation. Each SLA deadline is escalated once over both reasons.

/** The imminent window (seed: "SLA breach imminent (< 1h)"). */
export const SLA_ESCALATION_MS = SLA_AT_RISK_MS;

export type SlaTask = Pick<Task, "id" | "queueName" | "state" | "slaDeadline">;

/**
 * Less than 1 h left and the forecast finishes after the deadline (or cannot say when the task
 * will start: nothing is moving it forward): "sla_breach_imminent", deadline = the SLA deadline.
 * Returns null when the forecast says the task makes it.
 */
export function escalateSlaImminent(
  tx: Tx,
  at: Date,
  task: SlaTask & { slaDeadline: Date },
  forecast: ForecastedTask | null,
  actor: Actor,
): Promise<RaisedEscalation> | null {
  if (forecast && !forecast.breach) return null;
  const context: Prisma.InputJsonObject = {
    current_state: task.state,
    queue: task.queueName,
    sla_deadline: task.slaDeadline.toISOString(),
    remaining_minutes: Math.floor((task.slaDeadline.getTime() - at.getTime()) / 60_000),
    forecast_start: forecast?.start.toISOString() ?? null,
    forecast_finish: forecast?.finish.toISOString() ?? null,
  };
  return raiseEscalation(
    tx,
    at,
    { task, reason: "sla_breach_imminent", context, deadline: task.slaDeadline },
    actor,
  );
}

/** The deadline passed with no imminent escalation open for it: "sla_breached", critical. */
export function escalateSlaBreached(
  tx: Tx,
  at: Date,
  task: SlaTask & { slaDeadline: Date },
  actor: Actor,
): Promise<RaisedEscalation> {
  const context: Prisma.InputJsonObject = {
    current_state: task.state,
    queue: task.queueName,
    sla_deadline: task.slaDeadline.toISOString(),
    overdue_minutes: Math.floor((at.getTime() - task.slaDeadline.getTime()) / 60_000),
  };
  return raiseEscalation(tx, at, { task, reason: "sla_breached", context }, actor);
}

/**
 * The deadline of an open imminent escalation passed: the same escalation becomes "sla_breached"
 * (reason, urgency, target, action and deadline of a breach), OPEN again so someone looks at the
 * worse news; the raise-time context is kept with `breached_at`; audited "escalation.upgraded".
 */
export async function upgradeToBreached(
  tx: Tx,
  at: Date,
  escalation: Escalation,
  task: SlaTask,
  actor: Actor,
): Promise<Escalation> {
  const urgency = urgencyFor("sla_breached", task.queueName);
  const state = task.state as Parameters<typeof escalatedToFor>[1];
  const context = { ...(escalation.context as Prisma.JsonObject), breached_at: at.toISOString() };
  // A breach starts over at its own policy's first level.
  const target = (await firstLevelTarget(tx, task, "sla_breached")) ?? escalatedToFor("sla_breached", state);
  return commitEscalationChange(tx, escalation, {
    at,
    actor,
    type: "escalation.upgraded",
    patch: {
      reason: "sla_breached",
      openKey: openKeyOf(task.id, "sla_breached"),
      urgency,
      deadline: deadlineFor(urgency, at),
      suggestedAction: suggestedActionFor("sla_breached", state),
      escalatedTo: target,
      level: 1,
      levelSince: at,
      status: "OPEN",
      context,
    },
    reason: "SLA deadline passed",
    details: { from_reason: escalation.reason, to_reason: "sla_breached", from_urgency: escalation.urgency },
  });
}
