import type { TaskStateName } from "./states";

/** One card on the board: the board's read model, shaped for the screen. */
export interface BoardCard {
  id: string;
  title: string;
  state: TaskStateName;
  queue: string;
  position: number | null;
  priorityScore: number;
  slaDeadline: string | null;
  progressPercent: number;
  assignedTo: string | null;
  skillTarget: string;
  clientName: string | null;
  /** The client request (intake) the task came from, e.g. INK-2026-000001; null when none. */
  intakeId: string | null;
  projectType: string | null;
  blockerReason: string | null;
  waitingOn: number;
  /**
   * Urgency of the task's most urgent open (OPEN or ACKNOWLEDGED) escalation, null without one.
   * Escalations are not part of the task's version: an escalation event refreshes it.
   */
  escalationUrgency: string | null;
  version: number;
  updatedAt: string;
}

export interface BoardSnapshot {
  cards: BoardCard[];
  /** Server time when read, so clients can correct countdowns for clock skew. */
  serverTime: string;
}
