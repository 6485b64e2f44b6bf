import type { Task } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { escalateRetriesExhausted, escalateUnrecoverable } from "../escalation/rules";

// error-handler, part 3: when automation cannot go on with a task (3 retries failed, or an
// unrecoverable error), a human must decide (SPEC §7). The escalation is raised in the
// transaction that gave up, once per task and reason while one is open (escalation/raise.ts).

export type GiveUpReason = "retries_exhausted" | "unrecoverable_error";

export interface GiveUpRecord {
  reason: GiveUpReason;
  /** The escalation opened, or null when one was already open for this task and reason. */
  escalationId: string | null;
}

/** Opens the escalation for a task the error-handler gave up on (the task is FAILED for good). */
export async function recordGiveUp(
  tx: Tx,
  at: Date,
  task: Task,
  reason: GiveUpReason,
  actor: Actor,
  error: string,
): Promise<GiveUpRecord> {
  const escalate = reason === "retries_exhausted" ? escalateRetriesExhausted : escalateUnrecoverable;
  const { escalation, created } = await escalate(tx, at, task, error, actor);
  return { reason, escalationId: created ? escalation.id : null };
}
