import type { ActorRole, TaskStateName } from "./states";

// The state machine as data (SPEC §4, DESIGN rule 2): the engine validates every transition
// against this table and the UI reads it to show only the actions a viewer may take.
// `seed: false` rows are decisions where the seed's diagram is silent (docs/engine.md).

export interface TransitionRule {
  from: TaskStateName;
  to: TaskStateName;
  /** Roles allowed to take it. Admins may take any row a human role may take. */
  by: readonly ActorRole[];
  /** Whether the seed's diagram has it; the others are documented decisions (docs/engine.md). */
  seed: boolean;
  label: string;
}

/** Who acts on a transition: a table role, or an admin. */
export type TransitionActorRole = ActorRole | "admin";

/** The roles people hold; an admin may take every transition one of them may take. */
export const HUMAN_ROLES = ["operator", "account_manager"] as const satisfies readonly ActorRole[];

const HUMANS = HUMAN_ROLES;

export const TRANSITIONS: readonly TransitionRule[] = [
  { from: "CREATED", to: "QUEUED", by: ["system"], seed: true, label: "Enqueue" },
  { from: "QUEUED", to: "ON_HOLD", by: HUMANS, seed: true, label: "Hold" },
  // The dispatcher gives the task a slot; the executor then starts it (seed example: QUEUED → SCHEDULED → IN_PROGRESS).
  { from: "QUEUED", to: "SCHEDULED", by: ["system"], seed: true, label: "Schedule" },
  { from: "QUEUED", to: "CANCELLED", by: HUMANS, seed: true, label: "Cancel" },
  { from: "ON_HOLD", to: "IN_PROGRESS", by: ["operator"], seed: true, label: "Start now" },
  { from: "ON_HOLD", to: "QUEUED", by: HUMANS, seed: false, label: "Release" },
  { from: "ON_HOLD", to: "CANCELLED", by: HUMANS, seed: false, label: "Cancel" },
  // Executors start what they are handed; operators too: a human team starts its own work (a
  // skill whose executor is a human team waits SCHEDULED for a person, server/engine/execution/skill-executors.ts).
  {
    from: "SCHEDULED",
    to: "IN_PROGRESS",
    by: ["system", "executor", "operator"],
    seed: true,
    label: "Start",
  },
  { from: "SCHEDULED", to: "QUEUED", by: ["system", "operator"], seed: false, label: "Unschedule" },
  { from: "SCHEDULED", to: "CANCELLED", by: HUMANS, seed: false, label: "Cancel" },
  {
    from: "IN_PROGRESS",
    to: "COMPLETED",
    by: ["executor", "system", "operator"],
    seed: true,
    label: "Complete",
  },
  { from: "IN_PROGRESS", to: "FAILED", by: ["executor", "system", "operator"], seed: true, label: "Fail" },
  { from: "IN_PROGRESS", to: "BLOCKED", by: ["executor", ...HUMANS], seed: true, label: "Block" },
  { from: "IN_PROGRESS", to: "CANCELLED", by: HUMANS, seed: false, label: "Cancel" },
  { from: "FAILED", to: "IN_PROGRESS", by: ["system", ...HUMANS], seed: true, label: "Retry" },
  { from: "FAILED", to: "CANCELLED", by: ["system", ...HUMANS], seed: false, label: "Cancel" },
  { from: "BLOCKED", to: "UNBLOCKED", by: ["executor", "system", ...HUMANS], seed: true, label: "Unblock" },
  { from: "BLOCKED", to: "CANCELLED", by: HUMANS, seed: false, label: "Cancel" },
  {
    from: "UNBLOCKED",
    to: "IN_PROGRESS",
    by: ["system", "executor", "operator"],
    seed: true,
    label: "Resume",
  },
  { from: "UNBLOCKED", to: "CANCELLED", by: HUMANS, seed: false, label: "Cancel" },
];

export function findTransition(from: TaskStateName, to: TaskStateName): TransitionRule | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** May this role take this row? Admins take any row a human role may take; nobody else inherits. */
export function roleMayTake(role: TransitionActorRole, rule: TransitionRule): boolean {
  if (role === "admin") return rule.by.some((r) => (HUMAN_ROLES as readonly string[]).includes(r));
  return rule.by.includes(role);
}

/** The rows leaving `from`, optionally only those `role` may take (what the UI offers). */
export function transitionsFrom(from: TaskStateName, role?: TransitionActorRole): TransitionRule[] {
  return TRANSITIONS.filter((t) => t.from === from && (role === undefined || roleMayTake(role, t)));
}

/** The states the table allows from `from`, whoever acts. */
export function allowedTargets(from: TaskStateName): TaskStateName[] {
  return transitionsFrom(from).map((t) => t.to);
}

// --- Revert (rollback-manager) --------------------------------------------------------------

/** Who may revert a transition made in error: people, never machines. */
export const REVERT_ROLES: readonly TransitionActorRole[] = [...HUMAN_ROLES, "admin"];

/**
 * Whether the transition `from → to`, when it is a task's last one, may be reverted (a new
 * audited transition `to → from`). Never back to CREATED; never into or out of IN_PROGRESS
 * (a start goes through capacity and the executor's lease; work that has begun is blocked,
 * failed or cancelled instead); never out of COMPLETED (dependents may already have started).
 */
export function isRevertible(from: TaskStateName, to: TaskStateName): boolean {
  if (from === "CREATED" || from === "IN_PROGRESS" || to === "IN_PROGRESS" || to === "COMPLETED")
    return false;
  return findTransition(from, to) !== undefined;
}

/**
 * The states `role` may take a task from into `to`, by this table: what the engine's SQL hot
 * path (prisma/migrations/*_hot_path) is given to check a transition, so the table stays here.
 */
export function sourcesFor(to: TaskStateName, role: TransitionActorRole): TaskStateName[] {
  return TRANSITIONS.filter((t) => t.to === to && roleMayTake(role, t)).map((t) => t.from);
}
