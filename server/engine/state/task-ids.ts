import type { Tx } from "../context";

/**
 * TASK-YYYY-NNNNNN, sequential per year. The upsert takes a row lock on the year's counter, so
 * concurrent creators queue behind each other and never get the same number.
 */
export async function allocateTaskId(tx: Tx, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const rows = await tx.$queryRaw<{ last_seq: number }[]>`
    INSERT INTO task_id_counters (year, last_seq) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last_seq = task_id_counters.last_seq + 1
    RETURNING last_seq`;
  const seq = rows[0]?.last_seq;
  if (seq === undefined) throw new Error("task id counter returned no row");
  return formatTaskId(year, seq);
}

export function formatTaskId(year: number, seq: number): string {
  return `TASK-${year}-${String(seq).padStart(6, "0")}`;
}
