import type { QueueName } from "./queues";

// priority-adjuster's formula (docs/engine.md, "Priority"): a score 0-100 from named factors,
// and the mapping from a score to a queue used when a task arrives without a queue name.

/** The score of a task with no factor at all. */
export const PRIORITY_BASE = 50;

/** Points each named factor adds (or removes). A factor counts once however often it is listed. */
export const PRIORITY_FACTORS = {
  existing_client: 8,
  vip_client: 15,
  deadline_soon: 20,
  deadline_passed: 30,
  production_incident: 45,
  security: 40,
  manual_bump: 10,
  nice_to_have: -25,
  best_effort: -40,
} as const satisfies Record<string, number>;

export type PriorityFactor = keyof typeof PRIORITY_FACTORS;

/** What one "bump" adds to the stored score (and it records the `manual_bump` factor). */
export const BUMP_POINTS = PRIORITY_FACTORS.manual_bump;

/** A project deadline this close (days, inclusive) sets `deadline_soon`. */
export const DEADLINE_SOON_DAYS = 14;

export function isPriorityFactor(name: string): name is PriorityFactor {
  return Object.hasOwn(PRIORITY_FACTORS, name);
}

export function clampScore(score: number): number {
  return Math.max(0, Math.min(100, Math.round(score)));
}

/**
 * The factors a project deadline implies at `now`, in calendar days (UTC): `deadline_passed`
 * once its day is over, `deadline_soon` when it is at most DEADLINE_SOON_DAYS days away.
 */
export function deadlineFactors(deadline: string | null | undefined, now: Date): PriorityFactor[] {
  if (!deadline) return [];
  const day = Date.parse(`${deadline}T00:00:00Z`);
  if (Number.isNaN(day)) return [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const daysLeft = Math.round((day - today) / 86_400_000);
  if (daysLeft < 0) return ["deadline_passed"];
  if (daysLeft <= DEADLINE_SOON_DAYS) return ["deadline_soon"];
  return [];
}

/**
 * Distinct factors in first-seen order, plus the ones the deadline implies;
 * `deadline_passed` supersedes `deadline_soon`.
 */
export function normalizeFactors(factors: readonly string[], deadline?: string | null, now?: Date): string[] {
  const all = [...factors, ...(now ? deadlineFactors(deadline, now) : [])];
  const distinct = [...new Set(all)];
  return distinct.includes("deadline_passed") ? distinct.filter((f) => f !== "deadline_soon") : distinct;
}

/** score = clamp(PRIORITY_BASE + Σ weight(distinct factor), 0, 100); unknown factors weigh 0. */
export function scoreFromFactors(factors: readonly string[]): number {
  let score = PRIORITY_BASE;
  for (const factor of new Set(factors)) score += isPriorityFactor(factor) ? PRIORITY_FACTORS[factor] : 0;
  return clampScore(score);
}

/** Lowest score of each queue, highest first; below the last one a task goes to the backlog. */
export const QUEUE_SCORE_THRESHOLDS: readonly { queue: QueueName; minScore: number }[] = [
  { queue: "critical", minScore: 90 },
  { queue: "urgent", minScore: 80 },
  { queue: "high_priority", minScore: 65 },
  { queue: "normal", minScore: 40 },
  { queue: "low_priority", minScore: 20 },
  { queue: "backlog", minScore: 0 },
];

/** The queue a task with this score enters when its creator names none (the `scheduled` queue is never derived from a score). */
export function queueForScore(score: number): QueueName {
  return QUEUE_SCORE_THRESHOLDS.find((t) => score >= t.minScore)?.queue ?? "backlog";
}
