import {
  ASSIGN_TO_ME,
  ESCALATION_URGENCIES,
  type EscalationUrgency,
  type EscalationView,
  OPEN_ESCALATION_STATUSES,
} from "@/lib/escalations";
import type { EscalationListQuery } from "@/lib/schemas/escalations";
import type { Escalation, EscalationPolicy } from "../../db/generated/client";
import { Prisma } from "../../db/generated/client";
import { systemClock } from "../clock";
import type { Tx } from "../context";
import { validationError } from "../errors";
import { type TaskSummary, toEscalationView } from "./format";
import { levelInfo, pickPolicy } from "./levels";
import { liveContext } from "./live-context";

// The escalation inbox's read models (DESIGN rule 6): one query each. The inbox order is
// urgency (critical > high > medium > low), then deadline (soonest first), then id.

/** The urgency's place in the inbox order; unknown urgencies last. */
const RANK_SQL = Prisma.sql`(CASE e.urgency ${Prisma.join(
  ESCALATION_URGENCIES.map((u, i) => Prisma.sql`WHEN ${u} THEN ${i}::int`),
  " ",
)} ELSE ${ESCALATION_URGENCIES.length}::int END)`;

type ViewRow = Escalation & {
  rank: number;
  taskTitle: string;
  taskState: string;
  taskQueue: string;
  taskVersion: number;
  taskSlaDeadline: Date | null;
  taskBlockerReason: string | null;
  taskBlockedSince: Date | null;
  taskRetryCount: number;
  taskLastError: string | null;
  clientName: string | null;
  clientContact: string | null;
};

function selectViews(db: Tx, where: Prisma.Sql, tail: Prisma.Sql = Prisma.empty): Promise<ViewRow[]> {
  return db.$queryRaw<ViewRow[]>`
    SELECT e.id, e.task_id AS "taskId", e.reason, e.urgency, e.context, e.suggested_action AS "suggestedAction",
           e.escalated_to AS "escalatedTo", e.deadline, e.status::text AS status, e.open_key AS "openKey",
           e.assignee, e.resolution, e.resolved_by AS "resolvedBy", e.level, e.level_since AS "levelSince", e.created_at AS "createdAt", e.acknowledged_at AS "acknowledgedAt",
           e.resolved_at AS "resolvedAt", e.version, ${RANK_SQL} AS rank,
           t.title AS "taskTitle", t.state::text AS "taskState", t.queue_name AS "taskQueue",
           t.version AS "taskVersion", t.sla_deadline AS "taskSlaDeadline",
           t.blocker_reason AS "taskBlockerReason", t.blocked_since AS "taskBlockedSince",
           t.retry_count AS "taskRetryCount", t.last_error AS "taskLastError",
           t.client_name AS "clientName", t.client_contact AS "clientContact"
    FROM escalations e JOIN tasks t ON t.id = e.task_id
    WHERE ${where}
    ${tail}`;
}

function toView(row: ViewRow, now: Date, policies: EscalationPolicy[]): EscalationView {
  const task: TaskSummary = {
    id: row.taskId,
    title: row.taskTitle,
    state: row.taskState,
    queue: row.taskQueue,
    version: row.taskVersion,
    client_name: row.clientName,
    client_contact: row.clientContact,
    blocker_reason: row.taskBlockerReason,
    blocked_since: row.taskBlockedSince?.toISOString() ?? null,
    sla_deadline: row.taskSlaDeadline?.toISOString() ?? null,
  };
  const raised = (row.context ?? {}) as Record<string, unknown>;
  const level = levelInfo(
    pickPolicy(policies, row.taskQueue, row.reason),
    row.level,
    row.levelSince ?? row.createdAt,
    row.status,
  );
  // A resolved escalation keeps its context as it was: the task has moved on.
  if (row.status === "RESOLVED") return toEscalationView(row, task, raised, level);
  const live = liveContext(
    raised,
    {
      state: row.taskState,
      queue: row.taskQueue,
      slaDeadline: row.taskSlaDeadline,
      blockerReason: row.taskBlockerReason,
      blockedSince: row.taskBlockedSince,
      retryCount: row.taskRetryCount,
      lastError: row.taskLastError,
    },
    now,
  );
  return toEscalationView({ ...row, context: live as Prisma.JsonObject }, task, raised, level);
}

/** One escalation as the inbox shows it, or null. */
export async function loadEscalationView(
  db: Tx,
  id: string,
  now: Date = systemClock.now(),
): Promise<EscalationView | null> {
  const [row] = await selectViews(db, Prisma.sql`e.id = ${id}`);
  return row ? toView(row, now, await db.escalationPolicy.findMany()) : null;
}

interface Cursor {
  rank: number;
  deadline: Date;
  id: string;
}

const encodeCursor = (row: ViewRow): string =>
  Buffer.from(`${row.rank}|${row.deadline.getTime()}|${row.id}`, "utf8").toString("base64url");

function decodeCursor(cursor: string): Cursor {
  const [rank, deadline, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const parsed = { rank: Number(rank), deadline: new Date(Number(deadline)), id: id ?? "" };
  if (
    rest.length > 0 ||
    !Number.isInteger(parsed.rank) ||
    Number.isNaN(parsed.deadline.getTime()) ||
    !parsed.id.startsWith("ESC-")
  ) {
    throw validationError([{ path: "cursor", message: "Not a cursor from a previous page" }]);
  }
  return parsed;
}

export interface EscalationPage {
  escalations: EscalationView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: string | null;
}

/**
 * The inbox: escalations matching the filters (default: the open ones, OPEN and ACKNOWLEDGED),
 * most urgent first, then soonest deadline. Keyset-paginated on (urgency, deadline, id), so a
 * page never repeats or skips a row that did not change. `assignee: "me"` is `viewer`.
 */
export async function listEscalations(
  db: Tx,
  query: EscalationListQuery,
  viewer?: string,
  now: Date = systemClock.now(),
): Promise<EscalationPage> {
  const statuses = query.status?.length ? query.status : OPEN_ESCALATION_STATUSES;
  const assignee = query.assignee === ASSIGN_TO_ME ? (viewer ?? null) : query.assignee;
  const filters: Prisma.Sql[] = [
    Prisma.sql`e.status IN (${Prisma.join(statuses.map((s) => Prisma.sql`${s}::"EscalationStatus"`))})`,
  ];
  if (query.reason?.length) filters.push(Prisma.sql`e.reason IN (${Prisma.join(query.reason)})`);
  if (query.escalated_to?.length)
    filters.push(Prisma.sql`e.escalated_to IN (${Prisma.join(query.escalated_to)})`);
  if (query.task_id) filters.push(Prisma.sql`e.task_id = ${query.task_id}`);
  if (query.assignee !== undefined) filters.push(Prisma.sql`e.assignee = ${assignee}`);
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    filters.push(Prisma.sql`(${RANK_SQL}, e.deadline, e.id) > (${c.rank}::int, ${c.deadline}, ${c.id})`);
  }
  const rows = await selectViews(
    db,
    Prisma.join(filters, " AND "),
    Prisma.sql`ORDER BY rank, e.deadline, e.id LIMIT ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const policies = await db.escalationPolicy.findMany();
  const last = page.at(-1);
  return {
    escalations: page.map((row) => toView(row, now, policies)),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

export interface EscalationCount {
  /** OPEN + ACKNOWLEDGED: the nav badge. */
  open: number;
  unacknowledged: number;
  /** Open ones whose deadline has passed. */
  overdue: number;
  by_urgency: Record<EscalationUrgency, number>;
}

/** The nav badge and the inbox header: counts of the escalations not resolved yet. */
export async function countOpenEscalations(db: Tx, now: Date): Promise<EscalationCount> {
  const [row] = await db.$queryRaw<
    {
      open: number;
      unacknowledged: number;
      overdue: number;
      critical: number;
      high: number;
      medium: number;
      low: number;
    }[]
  >`
    SELECT count(*)::int AS open,
           (count(*) FILTER (WHERE status = 'OPEN'))::int AS unacknowledged,
           (count(*) FILTER (WHERE deadline < ${now}))::int AS overdue,
           (count(*) FILTER (WHERE urgency = 'critical'))::int AS critical,
           (count(*) FILTER (WHERE urgency = 'high'))::int AS high,
           (count(*) FILTER (WHERE urgency = 'medium'))::int AS medium,
           (count(*) FILTER (WHERE urgency = 'low'))::int AS low
    FROM escalations WHERE status <> 'RESOLVED'`;
  const r = row ?? { open: 0, unacknowledged: 0, overdue: 0, critical: 0, high: 0, medium: 0, low: 0 };
  return {
    open: r.open,
    unacknowledged: r.unacknowledged,
    overdue: r.overdue,
    by_urgency: { critical: r.critical, high: r.high, medium: r.medium, low: r.low },
  };
}
