// Escalation to humans (SPEC §7): the vocabulary the engine writes and the inbox UI reads.
// The decisions behind these tables are in server/engine/escalation/README.md.

export const ESCALATION_REASONS = [
  /** A task BLOCKED for 24 h or more (one per blocking episode, i.e. per blocked_since). */
  "blocked_over_24h",
  /** Less than 1 h left before the task's SLA deadline (one per SLA deadline). */
  "sla_breach_imminent",
  /** The SLA deadline passed and no imminent-breach escalation was raised for it (sweep missed the window). */
  "sla_breached",
  /** The 3rd retry failed too: the error-handler gave up. */
  "retries_exhausted",
  /** The executor reported an error that no retry can fix. */
  "unrecoverable_error",
  /** A dependency that cannot be satisfied: blocker cancelled, failed for good, or a cycle attempt. */
  "dependency_conflict",
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** Most urgent first: the inbox sorts by this order, then by deadline. */
export const ESCALATION_URGENCIES = ["critical", "high", "medium", "low"] as const;
export type EscalationUrgency = (typeof ESCALATION_URGENCIES)[number];

export const ESCALATION_STATUSES = ["OPEN", "ACKNOWLEDGED", "RESOLVED"] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];
/** Not resolved yet: what the inbox shows and the nav badge counts. */
export const OPEN_ESCALATION_STATUSES: readonly EscalationStatus[] = ["OPEN", "ACKNOWLEDGED"];

/** The teams an escalation can go to (acting needs the escalations:act permission). */
export const ESCALATION_TARGETS = ["account_manager", "operator"] as const;
/** A team, or a named user "user:<email>": the current level of the escalation policy. */
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number] | `user:${string}`;

/** What a person can do from the inbox (POST /api/v1/escalations/{id}/actions). */
export const ESCALATION_ACTIONS = [
  "acknowledge",
  "assign",
  "retry",
  "unblock",
  "set_priority",
  "move_queue",
  "cancel",
  "resolve",
] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/** Actions that also resolve the escalation (with an automatic note): the task has been dealt with. */
export const RESOLVING_ACTIONS: readonly EscalationAction[] = ["retry", "unblock", "cancel", "resolve"];

/** `assign` with this assignee assigns the escalation to the caller. */
export const ASSIGN_TO_ME = "me";

/** Urgency → how long a person has to act once it is raised (the escalation's deadline). */
export const RESPONSE_TIME_MS: Record<EscalationUrgency, number> = {
  critical: 60 * 60_000,
  // The seed's example: blocked since 14 Jan 11:00, escalated at 24 h (15 Jan 11:00), deadline 14:00.
  high: 3 * 3_600_000,
  medium: 8 * 3_600_000,
  low: 24 * 3_600_000,
};

export const REASON_LABELS: Record<EscalationReason, string> = {
  blocked_over_24h: "Blocked over 24 h",
  sla_breach_imminent: "SLA breach imminent",
  sla_breached: "SLA breached",
  retries_exhausted: "3 retries failed",
  unrecoverable_error: "Unrecoverable error",
  dependency_conflict: "Dependency conflict",
};

export const ACTION_LABELS: Record<EscalationAction, string> = {
  acknowledge: "Acknowledge",
  assign: "Assign",
  retry: "Retry the task",
  unblock: "Unblock the task",
  set_priority: "Change priority",
  move_queue: "Move to another queue",
  cancel: "Cancel the task",
  resolve: "Resolve",
};

/** The actions the inbox puts first for each reason (every action stays available). */
export const PRIMARY_ACTIONS: Record<EscalationReason, readonly EscalationAction[]> = {
  blocked_over_24h: ["unblock", "cancel", "resolve"],
  sla_breach_imminent: ["set_priority", "move_queue", "resolve"],
  sla_breached: ["set_priority", "move_queue", "resolve"],
  retries_exhausted: ["retry", "cancel", "resolve"],
  unrecoverable_error: ["retry", "cancel", "resolve"],
  dependency_conflict: ["cancel", "resolve"],
};

export function isEscalationReason(value: string): value is EscalationReason {
  return (ESCALATION_REASONS as readonly string[]).includes(value);
}

export function urgencyRank(urgency: string): number {
  const index = (ESCALATION_URGENCIES as readonly string[]).indexOf(urgency);
  return index === -1 ? ESCALATION_URGENCIES.length : index;
}

/** The escalation record in the seed's format (SPEC §7), key for key. */
export interface SeedEscalation {
  escalation: {
    task_id: string;
    reason: string;
    urgency: string;
    context: Record<string, unknown>;
    suggested_action: string;
    escalated_to: string;
    deadline: string;
  };
}

/** One inbox row: the seed record plus its lifecycle and a summary of its task. */
export interface EscalationView extends SeedEscalation {
  id: string;
  status: EscalationStatus;
  /** The context as recorded when it was raised ("at the time"); `escalation.context` is live. */
  context_at_raise: Record<string, unknown>;
  assignee: string | null;
  resolution: string | null;
  /** Who resolved it; the engine's id when it resolved itself (its cause went away). */
  resolved_by: string | null;
  /** Its escalation policy's level: `escalated_to` is that level's target. */
  level: { number: number; of: number; next_target: string | null; next_at: string | null };
  created_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  version: number;
  task: {
    id: string;
    title: string;
    state: string;
    queue: string;
    version: number;
    client_name: string | null;
    client_contact: string | null;
    blocker_reason: string | null;
    blocked_since: string | null;
    sla_deadline: string | null;
  };
}
