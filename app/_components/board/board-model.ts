import type { BoardCard } from "@/lib/board";
import { QUEUE_NAMES } from "@/lib/queues";
import type { TaskStateName } from "@/lib/states";

// The board's pure logic: which cards a filter keeps, how a column is ordered.

/** Left to right: the flow of work, the two terminal states last. */
export const BOARD_COLUMNS: readonly TaskStateName[] = [
  "CREATED",
  "QUEUED",
  "ON_HOLD",
  "SCHEDULED",
  "IN_PROGRESS",
  "BLOCKED",
  "UNBLOCKED",
  "FAILED",
  "COMPLETED",
  "CANCELLED",
];

export const FILTER_KEYS = ["queue", "skill", "client", "intake", "assignee", "q"] as const;
export type BoardFilters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export function matchesFilters(card: BoardCard, filters: BoardFilters): boolean {
  if (filters.queue && card.queue !== filters.queue) return false;
  if (filters.skill && card.skillTarget !== filters.skill) return false;
  if (filters.client && card.clientName !== filters.client) return false;
  if (filters.intake && card.intakeId !== filters.intake) return false;
  if (filters.assignee && card.assignedTo !== filters.assignee) return false;
  if (filters.q) {
    const needle = filters.q.trim().toLowerCase();
    // A client's request is found by its intake id, its client and its project as well as by the task.
    const haystack = [
      card.id,
      card.title,
      card.clientName,
      card.intakeId,
      card.projectType,
      card.skillTarget,
      card.assignedTo,
    ]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

const queueOrder = (queue: string) => QUEUE_NAMES.indexOf(queue as (typeof QUEUE_NAMES)[number]);

/** Waiting cards in queue order then rank; the other columns most recent first. */
export function sortColumn(state: TaskStateName, cards: BoardCard[]): BoardCard[] {
  if (state === "QUEUED") {
    return cards.sort(
      (a, b) => queueOrder(a.queue) - queueOrder(b.queue) || (a.position ?? 0) - (b.position ?? 0),
    );
  }
  return cards.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** The filtered cards per column, each column in its order. */
export function buildColumns(cards: readonly BoardCard[], filters: BoardFilters) {
  const byState = new Map<TaskStateName, BoardCard[]>(BOARD_COLUMNS.map((s) => [s, []]));
  for (const card of cards) if (matchesFilters(card, filters)) byState.get(card.state)?.push(card);
  for (const [state, list] of byState) sortColumn(state, list);
  return byState;
}

/**
 * The distinct non-empty values of a card field, with the server's (every live task's), sorted:
 * the options of a filter.
 */
export function distinctValues(
  cards: readonly BoardCard[],
  pick: (card: BoardCard) => string | null,
  fromServer: readonly string[] = [],
) {
  const values = new Set<string>(fromServer);
  for (const card of cards) {
    const value = pick(card);
    if (value) values.add(value);
  }
  return [...values].sort((a, b) => a.localeCompare(b));
}
