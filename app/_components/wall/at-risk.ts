import type { BoardCard } from "@/lib/board";
import { isTerminal } from "@/lib/states";

const HOUR_MS = 3_600_000;

/** Live tasks with under an hour of SLA left, or past it: the soonest deadline first. */
export function atRiskCards(cards: readonly BoardCard[], nowMs: number): BoardCard[] {
  return cards
    .filter((c) => !isTerminal(c.state) && c.slaDeadline && Date.parse(c.slaDeadline) - nowMs < HOUR_MS)
    .sort((a, b) => a.slaDeadline!.localeCompare(b.slaDeadline!));
}
