import type { Tx } from "../context";

/**
 * TASK-YYYY-NNNNNN, sequential per year, from a sequence per year (orch_next_task_seq): a
 * creation never holds a counter row for the rest of its transaction, so parallel creations
 * do not queue behind each other. Concurrent creators never get the same number; a creation
 * that rolls back after taking its number leaves a gap (validation runs before, so a refused
 * creation does not).
 */
export async function allocateTaskId(tx: Tx, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const rows = await tx.$queryRaw<{ seq: bigint | number }[]>`SELECT orch_next_task_seq(${year}::int) AS seq`;
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error("task id sequence returned no row");
  return formatTaskId(year, Number(seq));
}

export function formatTaskId(year: number, seq: number): string {
  return `TASK-${year}-${String(seq).padStart(6, "0")}`;
}
