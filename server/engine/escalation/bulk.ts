import type { EscalationActionInput } from "@/lib/schemas/escalations";
import type { Actor, EngineContext } from "../context";
import { isDomainError } from "../errors";
import { actOnEscalation } from "./inbox";

// Bulk acknowledge / assign / resolve for a selection in the inbox (a storm of one reason in one
// queue is handled in one go). Each escalation goes through the same door as one action, in its
// own transaction: one already acknowledged or resolved by someone else is reported, not fatal.

export type BulkAction =
  | { action: "acknowledge" }
  | { action: "assign"; assignee: string }
  | { action: "resolve"; note: string };

export interface BulkResult {
  id: string;
  ok: boolean;
  error: { code: string; message: string } | null;
}

export async function bulkActOnEscalations(
  ctx: EngineContext,
  ids: string[],
  action: BulkAction,
  actor: Actor,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      await actOnEscalation(ctx, id, action as EscalationActionInput, actor);
      results.push({ id, ok: true, error: null });
    } catch (error) {
      if (!isDomainError(error) || error.code === "FORBIDDEN") throw error;
      results.push({ id, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  return results;
}
