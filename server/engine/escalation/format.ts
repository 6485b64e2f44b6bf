import type { EscalationStatus, EscalationView, SeedEscalation } from "@/lib/escalations";
import type { Escalation } from "../../db/generated/client";

// The escalation record in the seed's format (SPEC §7), key for key:
// {"escalation": {task_id, reason, urgency, context, suggested_action, escalated_to, deadline}}.

export type EscalationRecord = Pick<
  Escalation,
  "taskId" | "reason" | "urgency" | "context" | "suggestedAction" | "escalatedTo" | "deadline"
>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSeedEscalation(row: EscalationRecord): SeedEscalation {
  return {
    escalation: {
      task_id: row.taskId,
      reason: row.reason,
      urgency: row.urgency,
      context: (row.context ?? {}) as Record<string, unknown>,
      suggested_action: row.suggestedAction,
      escalated_to: row.escalatedTo,
      deadline: row.deadline.toISOString(),
    },
  };
}

/** The task as the inbox shows it beside the escalation (lib/escalations.ts). */
export type TaskSummary = EscalationView["task"];

/**
 * One inbox row: the seed record (its context live, presenter.ts), the context as raised, its
 * lifecycle (status, assignee, version…) and its task.
 */
export function toEscalationView(
  row: Escalation,
  task: TaskSummary,
  contextAtRaise: Record<string, unknown>,
  level: EscalationView["level"],
): EscalationView {
  return {
    id: row.id,
    status: row.status as EscalationStatus,
    ...toSeedEscalation(row),
    context_at_raise: contextAtRaise,
    resolved_by: row.resolvedBy,
    level,
    assignee: row.assignee,
    resolution: row.resolution,
    created_at: row.createdAt.toISOString(),
    acknowledged_at: iso(row.acknowledgedAt),
    resolved_at: iso(row.resolvedAt),
    version: row.version,
    task,
  };
}
