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

/** A board column as the server counts it: how many cards it has, where its next page starts. */
export interface BoardColumnPage {
  state: TaskStateName;
  /** Cards in the column (a terminal column counts only its most recent, BOARD_TERMINAL_RECENT). */
  total: number;
  /** Pass as `cursor` with `state` for the next page; null once the column is loaded. */
  nextCursor: string | null;
}

export interface BoardSnapshot {
  /** The first page of every column (or the asked page of one column), each in column order. */
  cards: BoardCard[];
  /** The columns paged in this answer. */
  columns: BoardColumnPage[];
  /** Every column's count (as `total`), whichever were paged. */
  counts: Record<TaskStateName, number>;
  /** Server time when read, so clients can correct countdowns for clock skew. */
  serverTime: string;
}

/** Cards per column in one page of the board (the first screen: ≤ 10 × 50 cards). */
export const BOARD_PAGE_SIZE = 50;
/** A terminal column (COMPLETED, CANCELLED) holds only its most recent cards; older ones are in the task list. */
export const BOARD_TERMINAL_RECENT = 500;
