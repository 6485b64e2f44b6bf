import type { BoardCard, BoardSnapshot } from "@/lib/board";

/**
 * The wall display's read model: the board's cards with only what a wall shows (id, title,
 * state, queue, SLA, progress, urgency) — who the client is, who works on it and why it is
 * blocked stay off a screen in the lobby. Served to callers without tasks:read (the wall key).
 */
export function wallCard(card: BoardCard): BoardCard {
  return { ...card, clientName: null, assignedTo: null, blockerReason: null };
}

export function wallSnapshot(snapshot: BoardSnapshot): BoardSnapshot {
  return { ...snapshot, cards: snapshot.cards.map(wallCard) };
}
