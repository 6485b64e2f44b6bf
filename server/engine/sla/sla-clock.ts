import { addBusinessMs, type BusinessCalendar, businessMsBetween } from "./business-hours";

// The SLA clock of one task (docs/sla.md), computed from what happened — its state history since
// it entered its queue, when its blockers completed — and its queue's policy: the clock starts
// at queue entry (or when the task became eligible), runs in business hours only when the queue
// has a calendar, and stops while the task is in a pause state (default ON_HOLD), BLOCKED for a
// reason that is the client's, or waiting on unfinished blockers. Pure: the same facts always give
// the same clock, so refreshing it any number of times, on any instance, agrees.

export type ClockStart = "entry" | "eligible";

export interface SlaClockPolicy {
  pauseStates: string[];
  pauseOnClientBlock: boolean;
  /** A BLOCKED reason containing one of these (case-insensitive) is the client's. */
  clientBlockerKeywords: string[];
  pauseWhileWaitingOnBlockers: boolean;
  clockStarts: ClockStart;
  calendar: BusinessCalendar | null;
}

export const DEFAULT_SLA_POLICY: SlaClockPolicy = {
  pauseStates: ["ON_HOLD"],
  pauseOnClientBlock: true,
  clientBlockerKeywords: ["client", "customer"],
  pauseWhileWaitingOnBlockers: true,
  clockStarts: "entry",
  calendar: null,
};

export interface SlaFacts {
  slaMs: number;
  enteredAt: Date;
  /** The state in effect at entry, then every transition since, in order. */
  states: { state: string; at: Date; reason: string | null }[];
  /**
   * Waiting on blockers: from the first dependency edge (or entry) until the last blocker
   * completed; `to` null = still waiting. null = it never had blockers.
   */
  blockerWait: { from: Date; to: Date | null } | null;
  now: Date;
}

export interface SlaClock {
  paused: boolean;
  /** Why it is paused: the pause state, "client" (BLOCKED on the client), "blockers". */
  pausedBy: string | null;
  elapsedMs: number;
  remainingMs: number;
  /** The live deadline (after pauses, in business time); null while paused with time left. */
  deadline: Date | null;
}

export function isClientBlocker(reason: string | null, policy: SlaClockPolicy): boolean {
  const text = (reason ?? "").toLowerCase();
  return policy.clientBlockerKeywords.some((k) => k.length > 0 && text.includes(k.toLowerCase()));
}

function pauseOf(state: string, reason: string | null, policy: SlaClockPolicy): string | null {
  if (policy.pauseStates.includes(state)) return state;
  if (state === "BLOCKED" && policy.pauseOnClientBlock && isClientBlocker(reason, policy)) return "client";
  return null;
}

/** Where the SLA clock stands at `facts.now`. */
export function computeSlaClock(facts: SlaFacts, policy: SlaClockPolicy): SlaClock {
  const now = facts.now.getTime();
  const entered = facts.enteredAt.getTime();
  // The blocker wait: a pause, and with clockStarts "eligible", the clock starts at its end.
  const wait = facts.blockerWait;
  const waitFrom = wait ? Math.max(entered, wait.from.getTime()) : Number.POSITIVE_INFINITY;
  const waitTo = wait ? (wait.to?.getTime() ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  const startsAt = policy.clockStarts === "eligible" && wait && waitFrom <= entered ? waitTo : entered;
  const pausesOnWait = policy.pauseWhileWaitingOnBlockers && wait !== null;

  // Running intervals: state segments not paused, from the start, minus the blocker wait.
  const running: [number, number][] = [];
  let lastPause: string | null = null;
  facts.states.forEach((s, i) => {
    const from = Math.max(startsAt, entered, s.at.getTime());
    const to = Math.min(now, facts.states[i + 1]?.at.getTime() ?? now);
    const pause = pauseOf(s.state, s.reason, policy);
    if (i === facts.states.length - 1) lastPause = pause;
    if (pause || to <= from) return;
    if (pausesOnWait && waitFrom < to && waitTo > from) {
      if (waitFrom > from) running.push([from, waitFrom]);
      if (waitTo < to) running.push([waitTo, to]);
    } else running.push([from, to]);
  });
  if (facts.states.length === 0 && startsAt < now) running.push([startsAt, now]);

  const cal = policy.calendar;
  let elapsed = 0;
  let deadline: number | null = null;
  for (const [from, to] of running) {
    const run = businessMsBetween(new Date(from), new Date(to), cal);
    if (deadline === null && elapsed + run >= facts.slaMs)
      deadline = addBusinessMs(new Date(from), facts.slaMs - elapsed, cal).getTime();
    elapsed += run;
  }
  const waitingNow = now < startsAt || (pausesOnWait && waitFrom <= now && now < waitTo);
  const pausedBy: string | null = lastPause ?? (waitingNow ? "blockers" : null);
  const remaining = facts.slaMs - elapsed;
  if (pausedBy === null && deadline === null) deadline = addBusinessMs(facts.now, remaining, cal).getTime();
  return {
    paused: pausedBy !== null,
    pausedBy,
    elapsedMs: elapsed,
    remainingMs: remaining,
    // Paused with time left: no deadline is burning. Already breached: the breach stays.
    deadline: pausedBy !== null && remaining > 0 ? null : deadline === null ? null : new Date(deadline),
  };
}
