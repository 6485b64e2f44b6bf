// The task states of the seed's state machine (SPEC §4) and who may move a task between them.
// One table: the engine validates every transition against it, the UI reads it to show only
// the actions a viewer may take.

export const TASK_STATES = [
  "CREATED",
  "QUEUED",
  "ON_HOLD",
  "SCHEDULED",
  "IN_PROGRESS",
  "COMPLETED",
  "FAILED",
  "BLOCKED",
  "UNBLOCKED",
  "CANCELLED",
] as const;

export type TaskStateName = (typeof TASK_STATES)[number];

/** Who takes a transition. Admins may take every transition a human role may take. */
export const ACTOR_ROLES = ["system", "operator", "account_manager", "executor"] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export const TERMINAL_STATES: readonly TaskStateName[] = ["COMPLETED", "CANCELLED"];

export function isTaskState(value: string): value is TaskStateName {
  return (TASK_STATES as readonly string[]).includes(value);
}

export function isTerminal(state: TaskStateName): boolean {
  return TERMINAL_STATES.includes(state);
}
