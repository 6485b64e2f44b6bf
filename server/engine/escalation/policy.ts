import {
  ESCALATION_URGENCIES,
  type EscalationReason,
  type EscalationTarget,
  type EscalationUrgency,
  RESPONSE_TIME_MS,
} from "@/lib/escalations";
import type { TaskStateName } from "@/lib/states";

// Who gets an escalation, how urgent it is, what to do and by when (README.md, "Policy").
// Pure functions: raiseEscalation fills whatever its caller leaves out from here.

/** Before the queue adjusts it. */
const BASE_URGENCY: Record<EscalationReason, EscalationUrgency> = {
  blocked_over_24h: "high",
  sla_breach_imminent: "high",
  sla_breached: "critical",
  retries_exhausted: "high",
  unrecoverable_error: "high",
  dependency_conflict: "high",
};

/**
 * The reason's base urgency, one level up in the `critical` queue (production incidents,
 * security), one level down in `low_priority` and `backlog` (nice-to-have, best effort).
 */
export function urgencyFor(reason: EscalationReason, queueName: string): EscalationUrgency {
  const base = ESCALATION_URGENCIES.indexOf(BASE_URGENCY[reason]);
  const shift =
    queueName === "critical" ? -1 : queueName === "low_priority" || queueName === "backlog" ? 1 : 0;
  const index = Math.min(Math.max(base + shift, 0), ESCALATION_URGENCIES.length - 1);
  return ESCALATION_URGENCIES[index]!;
}

/** A task that has not started yet: its SLA is saved by queue work (priority, queue, start now). */
const WAITING: readonly TaskStateName[] = ["CREATED", "QUEUED", "ON_HOLD", "SCHEDULED"];

/**
 * Used only when no escalation policy matches (levels.ts; the migration seeds a default):
 * account_manager for what involves the client or a project decision, operator for a technical
 * failure (fix the input, the skill or the executor) and for an SLA about to break on a task
 * that is still waiting (re-prioritise, move, start now: the operators' work).
 */
export function escalatedToFor(reason: EscalationReason, taskState: TaskStateName): EscalationTarget {
  switch (reason) {
    case "retries_exhausted":
    case "unrecoverable_error":
      return "operator";
    case "sla_breach_imminent":
      return WAITING.includes(taskState) ? "operator" : "account_manager";
    default:
      return "account_manager";
  }
}

/** The seed writes its suggested action in French ("Contacter le client directement"); so do we. */
export const SUGGESTED_ACTIONS = {
  blocked_over_24h: "Contacter le client directement",
  sla_breach_imminent_waiting:
    "Augmenter la priorité ou passer la tâche dans une file plus rapide avant l'échéance SLA",
  sla_breach_imminent_running: "Prévenir le client d'un retard possible et débloquer l'exécution",
  sla_breached: "Prévenir le client du retard et replanifier la tâche",
  retries_exhausted:
    "Analyser la dernière erreur, corriger sa cause, puis relancer, réassigner ou annuler la tâche",
  unrecoverable_error: "Corriger l'entrée ou le skill de la tâche, puis la relancer, ou l'annuler",
  blocker_cancelled:
    "Retirer ou remplacer la dépendance annulée, annuler l'annulation, ou annuler cette tâche",
  blocker_failed: "Retirer ou remplacer la dépendance en échec, la relancer, ou annuler cette tâche",
  cycle: "Revoir les dépendances : en retirer une pour rompre le cycle",
} as const;

export function suggestedActionFor(reason: EscalationReason, taskState: TaskStateName): string {
  switch (reason) {
    case "sla_breach_imminent":
      return WAITING.includes(taskState)
        ? SUGGESTED_ACTIONS.sla_breach_imminent_waiting
        : SUGGESTED_ACTIONS.sla_breach_imminent_running;
    case "dependency_conflict":
      return SUGGESTED_ACTIONS.blocker_cancelled;
    default:
      return SUGGESTED_ACTIONS[reason];
  }
}

/** When a person must have acted: raised at `at` + the urgency's response time. */
export function deadlineFor(urgency: EscalationUrgency, at: Date): Date {
  return new Date(at.getTime() + RESPONSE_TIME_MS[urgency]);
}
