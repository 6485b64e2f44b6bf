import {
  BOARD_PAGE_SIZE,
  BOARD_TERMINAL_RECENT,
  type BoardCard,
  type BoardColumnPage,
  type BoardSnapshot,
} from "@/lib/board";
import { ESCALATION_URGENCIES, OPEN_ESCALATION_STATUSES } from "@/lib/escalations";
import { isTerminal, TASK_STATES, type TaskStateName } from "@/lib/states";
import type { PrismaClient } from "../../db/client";
import type { Clock } from "../clock";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { SLA_AT_RISK_MS } from "../queue/sla";
import { containsPattern, taskMatchesSql } from "./task-search";

// The board's read model, bounded: each column is read by pages in its display order, so an
// answer costs one page of cards whatever the history holds (docs/scale.md).
// - QUEUED: by queue (display order) then live position, the position counted among the queue's
//   waiting rows alone (the partial index tasks_waiting_order_idx: QUEUED, not archived — a waiting task never is — in that order).
// - The other live columns: most recently changed first (the live partial index).
// - COMPLETED / CANCELLED: the BOARD_TERMINAL_RECENT most recent ones (not archived), by pages;
//   older work is in the task list.
// A page's cursor is the offset of its first card in the column. Live changes patch the
// client's cache card by card (boardCard), so an offset that moved meanwhile costs at most a
// card seen twice (the cache keeps one per id) or one the next change brings.

interface CardRow {
  id: string;
  title: string;
  state: TaskStateName;
  queue_name: string;
  position: number | null;
  priority_score: number;
  sla_deadline: Date | null;
  progress_percent: number;
  assigned_to: string | null;
  skill_target: string;
  client_name: string | null;
  intake_id: string | null;
  project_type: string | null;
  blocker_reason: string | null;
  waiting_on: number;
  escalation_urgency: string | null;
  version: number;
  updated_at: Date;
}

/** Constant SQL text of a list of known words (never user input). */
function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(", ");
}

/** The card of each task of `page` (id, position, ord), in `ord` order. */
const CARDS_OF_PAGE_SQL = `
  SELECT t.id, t.title, t.state, t.queue_name, page.position,
         t.priority_score, t.sla_deadline, t.progress_percent, t.assigned_to, t.skill_target,
         t.client_name, t.intake_id, t.project_type, t.blocker_reason, t.version, t.updated_at,
         (SELECT count(*)::int FROM task_dependencies d JOIN tasks b ON b.id = d.blocker_id
           WHERE d.dependent_id = t.id AND b.state <> 'COMPLETED') AS waiting_on,
         (SELECT e.urgency FROM escalations e
           WHERE e.task_id = t.id AND e.status IN (${sqlList(OPEN_ESCALATION_STATUSES)})
           ORDER BY array_position(ARRAY[${sqlList(ESCALATION_URGENCIES)}]::text[], e.urgency) NULLS LAST, e.deadline
           LIMIT 1) AS escalation_urgency
  FROM page JOIN tasks t ON t.id = page.id
  ORDER BY page.ord`;

/** Every QUEUED task with its 0-based position in its queue, from the waiting rows alone. */
const WAITING_POSITIONS_SQL = `
  SELECT w.id, w.queue_name, (ROW_NUMBER() OVER (PARTITION BY w.queue_name ORDER BY ${WAITING_ORDER_SQL}) - 1)::int AS position
  FROM tasks w WHERE w.state = 'QUEUED' AND w.archived_at IS NULL`;

/** The board's filters (the URL's), applied by the server so a filtered column pages too. */
export interface BoardFilters {
  queue?: string;
  skill?: string;
  client?: string;
  assignee?: string;
  /** A substring of the id, title, client, project type, intake id or description start (the trigram index). */
  q?: string;
  /** Only live tasks whose SLA deadline is before this (the wall's "at risk": now + 1 h). */
  slaBefore?: Date;
}

/** SQL conditions on `alias` for the filters, their values bound from `$first` on. */
function filterSql(alias: string, filters: BoardFilters, first: number): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
  const conditions: string[] = [];
  if (filters.queue) conditions.push(`${alias}.queue_name = ${bind(filters.queue)}`);
  if (filters.skill) conditions.push(`${alias}.skill_target = ${bind(filters.skill)}`);
  if (filters.client) conditions.push(`${alias}.client_name = ${bind(filters.client)}`);
  if (filters.assignee) conditions.push(`${alias}.assigned_to = ${bind(filters.assignee)}`);
  if (filters.q) conditions.push(taskMatchesSql(alias, bind(containsPattern(filters.q))));
  if (filters.slaBefore) {
    conditions.push(
      `${alias}.sla_deadline < ${bind(filters.slaBefore)} AND ${alias}.state NOT IN ('COMPLETED', 'CANCELLED')`,
    );
  }
  return { sql: conditions.map((c) => ` AND ${c}`).join(""), values };
}

/** SQL of one page of a column: rows (id, position, ord); $1 offset, $2 limit, filters from $3. */
function columnPageSql(state: TaskStateName, filters: string): string {
  if (state === "QUEUED") {
    // Positions are counted over every waiting row of the queue; the filters pick among them.
    return `SELECT p.id, p.position, ROW_NUMBER() OVER (ORDER BY q.sort_order, p.position) AS ord
            FROM (${WAITING_POSITIONS_SQL}) p JOIN queues q ON q.name = p.queue_name JOIN tasks t ON t.id = p.id
            WHERE true ${filters}
            ORDER BY q.sort_order, p.position OFFSET $1 LIMIT $2`;
  }
  const live = isTerminal(state) ? "" : `AND t.state NOT IN ('COMPLETED', 'CANCELLED')`;
  return `SELECT t.id, NULL::int AS position, ROW_NUMBER() OVER (ORDER BY t.updated_at DESC, t.id DESC) AS ord
          FROM tasks t WHERE t.state = '${state}' AND t.archived_at IS NULL ${live} ${filters}
          ORDER BY t.updated_at DESC, t.id DESC OFFSET $1 LIMIT $2`;
}

function toCard(r: CardRow): BoardCard {
  return {
    id: r.id,
    title: r.title,
    state: r.state,
    queue: r.queue_name,
    position: r.position,
    priorityScore: r.priority_score,
    slaDeadline: r.sla_deadline ? r.sla_deadline.toISOString() : null,
    progressPercent: r.progress_percent,
    assignedTo: r.assigned_to,
    skillTarget: r.skill_target,
    clientName: r.client_name,
    intakeId: r.intake_id,
    projectType: r.project_type,
    blockerReason: r.blocker_reason,
    waitingOn: r.waiting_on,
    escalationUrgency: r.escalation_urgency,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Cards per column: live ones counted by the live partial index, terminal ones up to the recent limit. */
async function columnTotals(
  prisma: PrismaClient,
  filters: BoardFilters,
): Promise<Map<TaskStateName, number>> {
  const live = filterSql("t", filters, 1);
  const terminal = filterSql("f", filters, 1);
  const rows = await prisma.$queryRawUnsafe<{ state: TaskStateName; n: number }[]>(
    `SELECT t.state, count(*)::int AS n FROM tasks t
     WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL ${live.sql} GROUP BY t.state
     UNION ALL
     SELECT s.state, (SELECT count(*)::int FROM (SELECT 1 FROM tasks f WHERE f.state = s.state AND f.archived_at IS NULL
                                                  ${terminal.sql} LIMIT ${BOARD_TERMINAL_RECENT}) r)
     FROM (VALUES ('COMPLETED'::"TaskState"), ('CANCELLED'::"TaskState")) AS s(state)`,
    ...live.values,
  );
  return new Map(rows.map((r) => [r.state, r.n]));
}

export interface BoardPageRequest extends Omit<BoardFilters, "slaBefore"> {
  /** Only live tasks with less than an hour of SLA left, or past it (SLA_AT_RISK_MS). */
  at_risk?: "true" | "false";
  /** One column only (its page at `cursor`); every column's first page without it. */
  state?: TaskStateName;
  cursor?: number;
  limit?: number;
}

async function columnPage(
  prisma: PrismaClient,
  state: TaskStateName,
  page: { offset: number; limit: number; filters: BoardFilters },
): Promise<BoardCard[]> {
  const { offset, limit } = page;
  const end = isTerminal(state) ? Math.min(offset + limit, BOARD_TERMINAL_RECENT) : offset + limit;
  if (end <= offset) return [];
  const filters = filterSql("t", page.filters, 3);
  const rows = await prisma.$queryRawUnsafe<CardRow[]>(
    `WITH page AS (${columnPageSql(state, filters.sql)}) ${CARDS_OF_PAGE_SQL}`,
    offset,
    end - offset,
    ...filters.values,
  );
  return rows.map(toCard);
}

/**
 * The board: the first page (`limit` cards, default BOARD_PAGE_SIZE) of every column, or with
 * `state` the page of that column starting at `cursor`; and every column's count.
 */
export async function boardSnapshot(
  prisma: PrismaClient,
  clock: Clock,
  request: BoardPageRequest = {},
): Promise<BoardSnapshot> {
  const { state: only, cursor, limit: asked, at_risk, ...rest } = request;
  const filters: BoardFilters = {
    ...rest,
    ...(at_risk === "true" && { slaBefore: new Date(clock.now().getTime() + SLA_AT_RISK_MS) }),
  };
  const limit = asked ?? BOARD_PAGE_SIZE;
  const offset = cursor ?? 0;
  const states = only ? [only] : TASK_STATES;
  const [totals, pages] = await Promise.all([
    columnTotals(prisma, filters),
    Promise.all(
      states.map((state) => columnPage(prisma, state, { offset: only ? offset : 0, limit, filters })),
    ),
  ]);
  const columns: BoardColumnPage[] = states.map((state, i) => {
    const total = totals.get(state) ?? 0;
    const next = (only ? offset : 0) + (pages[i]?.length ?? 0);
    return { state, total, nextCursor: next < total && (pages[i]?.length ?? 0) > 0 ? String(next) : null };
  });
  const counts = Object.fromEntries(
    TASK_STATES.map((state) => [state, totals.get(state) ?? 0]),
  ) as BoardSnapshot["counts"];
  return { cards: pages.flat(), columns, counts, serverTime: clock.now().toISOString() };
}

/** One card: the task by its primary key, and its position among its queue's waiting rows when QUEUED. */
export async function boardCard(prisma: PrismaClient, taskId: string): Promise<BoardCard | null> {
  const rows = await prisma.$queryRawUnsafe<CardRow[]>(
    `WITH page AS (
       SELECT t.id, CASE WHEN t.state = 'QUEUED' THEN
                (SELECT p.position FROM (${WAITING_POSITIONS_SQL} AND w.queue_name = t.queue_name) p WHERE p.id = t.id)
              END AS position, 1 AS ord
       FROM tasks t WHERE t.id = $1)
     ${CARDS_OF_PAGE_SQL}`,
    taskId,
  );
  return rows[0] ? toCard(rows[0]) : null;
}
