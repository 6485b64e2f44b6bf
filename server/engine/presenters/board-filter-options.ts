import type { PrismaClient } from "../../db/client";

// The board's filter options (skill, client, intake, assignee): the distinct values among the
// live tasks, read by the server, so a board showing its first pages of 10,000 cards still offers
// every client. Live rows only (the partial index tasks_live_queue_state_idx bounds the scan to
// today's work, whatever the history holds); each list is capped, sorted.

export const FILTER_OPTIONS_LIMIT = 500;

export interface BoardFilterOptions {
  skills: string[];
  clients: string[];
  intakes: string[];
  assignees: string[];
}

const FIELDS = {
  skills: "t.skill_target",
  clients: "t.client_name",
  intakes: "t.intake_id",
  assignees: "t.assigned_to",
} as const;

/** One arm per field: its first distinct non-empty values among the live tasks. */
const armSql = (field: keyof typeof FIELDS) => `
  (SELECT '${field}' AS field, v FROM (
     SELECT DISTINCT ${FIELDS[field]} AS v FROM tasks t
     WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL AND ${FIELDS[field]} <> ''
     ORDER BY 1 LIMIT ${FILTER_OPTIONS_LIMIT}) d)`;

export async function boardFilterOptions(prisma: PrismaClient): Promise<BoardFilterOptions> {
  const keys = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
  const rows = await prisma.$queryRawUnsafe<{ field: keyof BoardFilterOptions; v: string }[]>(
    `SELECT o.field, o.v FROM (${keys.map(armSql).join(" UNION ALL ")}) o`,
  );
  const options: BoardFilterOptions = { skills: [], clients: [], intakes: [], assignees: [] };
  for (const row of rows) options[row.field].push(row.v);
  for (const key of keys) options[key].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return options;
}
