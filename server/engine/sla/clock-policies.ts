import type { SlaPolicy } from "../../db/generated/client";
import type { Tx } from "../context";
import type { BusinessCalendar } from "./business-hours";
import { type ClockStart, DEFAULT_SLA_POLICY, type SlaClockPolicy } from "./sla-clock";

// The SLA clock policies as the clock reads them (a queue without a row: the defaults).

export function toClockPolicy(row: SlaPolicy | null): SlaClockPolicy {
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

/** The clock policies of the given queues (defaults for those without a row). */
export async function loadClockPolicies(tx: Tx, queues: string[]): Promise<Map<string, SlaClockPolicy>> {
  const rows = await tx.slaPolicy.findMany({ where: { queueName: { in: queues } } });
  const byQueue = new Map(rows.map((r) => [r.queueName, r]));
  return new Map(queues.map((q) => [q, toClockPolicy(byQueue.get(q) ?? null)]));
}
