import type { QueryClient } from "@tanstack/react-query";
import type { BoardCard, BoardSnapshot } from "@/lib/board";
import type { ChangeEvent } from "@/lib/events";
import { ApiError, apiFetch } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { noteServerTime } from "../time/server-clock";

export const BOARD_QUERY_KEY = queryKeys.board;

export async function fetchBoard(): Promise<BoardSnapshot> {
  const snapshot = await apiFetch<BoardSnapshot>("/api/v1/board");
  noteServerTime(snapshot.serverTime);
  return snapshot;
}

/**
 * Replaces a card only with a newer version of it, so late or repeated events change nothing —
 * or with the same version whose escalation urgency changed (escalations do not bump the task's
 * version; an escalation event brings the new urgency).
 */
export function upsertCard(snapshot: BoardSnapshot, card: BoardCard): BoardSnapshot {
  const index = snapshot.cards.findIndex((c) => c.id === card.id);
  if (index === -1) return { ...snapshot, cards: [...snapshot.cards, card] };
  const held = snapshot.cards[index]!;
  if (held.version > card.version) return snapshot;
  if (held.version === card.version && held.escalationUrgency === card.escalationUrgency) return snapshot;
  const cards = snapshot.cards.slice();
  cards[index] = card;
  return { ...snapshot, cards };
}

/**
 * A reorder, a move or a dispatch shifts the positions of the queue's other waiting tasks
 * without changing their versions: take their positions from the queue's waiting list.
 */
export function applyQueuePositions(
  snapshot: BoardSnapshot,
  queue: string,
  waiting: readonly { id: string; position: number }[],
): BoardSnapshot {
  const positions = new Map(waiting.map((t) => [t.id, t.position]));
  let changed = false;
  const cards = snapshot.cards.map((card) => {
    if (card.queue !== queue || card.state !== "QUEUED") return card;
    const position = positions.get(card.id);
    if (position === undefined || position === card.position) return card;
    changed = true;
    return { ...card, position };
  });
  return changed ? { ...snapshot, cards } : snapshot;
}

/**
 * Fetches the card an event names, when newer than the one held (or after an escalation event,
 * which changes its urgency), and upserts it. Returns the queues whose waiting order may have
 * changed (the card's queue before and after).
 */
export async function applyChangeToBoard(queryClient: QueryClient, event: ChangeEvent): Promise<string[]> {
  if (!event.taskId) return [];
  const snapshot = queryClient.getQueryData<BoardSnapshot>(BOARD_QUERY_KEY);
  if (!snapshot) return [];
  const held = snapshot.cards.find((c) => c.id === event.taskId);
  if (held && event.version !== null && held.version >= event.version) return [];
  try {
    const { card } = await apiFetch<{ card: BoardCard }>(
      `/api/v1/board/cards/${encodeURIComponent(event.taskId)}`,
    );
    queryClient.setQueryData<BoardSnapshot>(BOARD_QUERY_KEY, (current) =>
      current ? upsertCard(current, card) : current,
    );
    // An escalation event (no task version) changes the card's urgency, never a queue's order.
    if (event.version === null) return [];
    const touched = new Set<string>();
    if (card.state === "QUEUED") touched.add(card.queue);
    if (held?.state === "QUEUED") touched.add(held.queue);
    return [...touched];
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    void queryClient.invalidateQueries({ queryKey: BOARD_QUERY_KEY });
    return [];
  }
}
