import type { Queue } from "../../db/generated/client";

/** An SLA with less than this left is "at risk" (imminent breach, SPEC §7). */
export const SLA_AT_RISK_MS = 60 * 60_000;

/**
 * sla-tracker: the deadline counts from queue entry (re-entering another queue restarts it).
 * The `scheduled` queue's deadline is the planned date; backlog has none.
 */
export function slaDeadlineFor(
  queue: Pick<Queue, "name" | "slaMinutes">,
  enteredAt: Date,
  scheduledFor?: Date | null,
): Date | null {
  if (queue.name === "scheduled") return scheduledFor ?? null;
  if (queue.slaMinutes === null) return null;
  return new Date(enteredAt.getTime() + queue.slaMinutes * 60_000);
}

export type SlaStatus = "none" | "ok" | "at_risk" | "breached";

/** Where a live task stands against its SLA deadline at `now`. */
export function slaStatus(deadline: Date | null, now: Date): SlaStatus {
  if (!deadline) return "none";
  const left = deadline.getTime() - now.getTime();
  if (left < 0) return "breached";
  return left < SLA_AT_RISK_MS ? "at_risk" : "ok";
}

/** Milliseconds left before the deadline (negative once breached); null without an SLA. */
export function slaRemainingMs(deadline: Date | null, now: Date): number | null {
  return deadline ? deadline.getTime() - now.getTime() : null;
}
