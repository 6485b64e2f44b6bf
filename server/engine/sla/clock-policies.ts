import type { SlaPolicy } from "../../db/generated/client";
import type { BusinessCalendar } from "./business-hours";
import { type ClockStart, DEFAULT_SLA_POLICY, type SlaClockPolicy } from "./sla-clock";

// The SLA clock policies as the clock reads them (a queue without a row: the defaults).

/** What the clock reads of an sla_policies row. */
export type ClockPolicyRow = Pick<
  SlaPolicy,
  | "pauseStates"
  | "pauseOnClientBlock"
  | "clientBlockerKeywords"
  | "pauseWhileWaitingOnBlockers"
  | "clockStarts"
  | "calendar"
>;

export function toClockPolicy(row: ClockPolicyRow | null): SlaClockPolicy {
  if (!row) return DEFAULT_SLA_POLICY;
  return {
    pauseStates: row.pauseStates,
    pauseOnClientBlock: row.pauseOnClientBlock,
    clientBlockerKeywords: row.clientBlockerKeywords,
    pauseWhileWaitingOnBlockers: row.pauseWhileWaitingOnBlockers,
    clockStarts: row.clockStarts as ClockStart,
    calendar: (row.calendar as BusinessCalendar | null) ?? null,
  };
}
