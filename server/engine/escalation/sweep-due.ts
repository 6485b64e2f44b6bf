import { dateOrNull, type JsonDates } from "../../db/json-dates";
import type { Tx } from "../context";
import { BLOCKED_ESCALATION_MS, type BlockedTask } from "./rules";
import { SLA_ESCALATION_MS, type SlaTask } from "./sla-rules";
import type { SweepChanges } from "./sweep-changes";

// What time alone made true since the last pass, in one statement (orch_sweep_due, migration
// 20261203160000_sweep_due): the escalation sweep's candidates for each of its rules. A quiet
// pass finds none; read one rule at a time through Prisma they cost five round trips and five
// plannings, a third of the pass.
//
// - blocked: BLOCKED for 24 h or more, no open blocked escalation and none ever for this
//   blocked_since; locked (SKIP LOCKED).
// - imminent: live, SLA deadline less than 1 h away (not yet passed), no SLA escalation open nor
//   ever raised for this deadline; not locked: the forecast decides (sla-rules.ts), and a task
//   that makes it is looked at again on the next pass.
// - passed: live, past its SLA deadline, not escalated as breached for it, with the open imminent
//   escalation to upgrade; a deadline whose SLA escalation a person resolved is left alone (they
//   decided: "client agreed to a delay"). Most passes look only at the deadlines passed since the
//   pass before last and the tasks changed since (a deadline moved into the past): those passed
//   earlier were escalated then, or are left to the pass every RECHECK_MS that looks at every
//   one (a row locked, a batch overflowing). Locked.
// - levels: OPEN escalations whose level's delay ran out under the policy that applies (levels.ts
//   decides again on the row it reads); locked.

export type ImminentCandidate = SlaTask & { slaDeadline: Date };
export type PassedDeadline = ImminentCandidate & { openImminentId: string | null };
export interface DueLevel {
  id: string;
  taskId: string;
  queue: string;
}

export interface DueCandidates {
  blocked: BlockedTask[];
  imminent: ImminentCandidate[];
  passed: PassedDeadline[];
  levels: DueLevel[];
}

/** As the statement answers: the same, with its times as JSON strings. */
interface RawCandidates {
  blocked: JsonDates<BlockedTask>[];
  imminent: JsonDates<ImminentCandidate>[];
  passed: JsonDates<PassedDeadline>[];
  levels: DueLevel[];
}

/** Each rule's candidates, `limit` at most (levels: five times that, levels.ts stops at `limit`). */
export async function dueCandidates(
  tx: Tx,
  at: Date,
  changes: SweepChanges,
  limit: number,
): Promise<DueCandidates> {
  const [row] = await tx.$queryRaw<{ due: RawCandidates }[]>`
    SELECT orch_sweep_due(${at}::timestamptz, ${new Date(at.getTime() - BLOCKED_ESCALATION_MS)}::timestamptz,
                          ${new Date(at.getTime() + SLA_ESCALATION_MS)}::timestamptz, ${changes.since}::timestamptz,
                          ${changes.taskIds}::text[], ${limit}::int, ${limit * 5}::int) AS due`;
  const due = row!.due;
  return {
    blocked: due.blocked.map((t) => ({ ...t, blockedSince: dateOrNull(t.blockedSince) })),
    imminent: due.imminent.map((t) => ({ ...t, slaDeadline: new Date(t.slaDeadline) })),
    passed: due.passed.map((t) => ({ ...t, slaDeadline: new Date(t.slaDeadline) })),
    levels: due.levels,
  };
}
