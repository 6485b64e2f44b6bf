import type { PrismaClient } from "../../db/client";
import type { Clock } from "../clock";
import { notFound, validationError } from "../errors";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { blockersDoneSql } from "../state/eligibility";
import { SLA_AT_RISK_MS } from "./sla";

// Read models of the queues (capacity-monitor + sla-tracker gauges), one query each.

export interface QueueStats {
  queue: string;
  description: string;
  slaMinutes: number | null;
  /** Max slots in use at once (SCHEDULED + IN_PROGRESS, capacity-monitor.ts); null = unlimited. */
  capacity: number | null;
  waiting: number;
  /** Dispatched, slot reserved, not started yet. */
  scheduled: number;
  inProgress: number;
  onHold: number;
  blocked: number;
  /** Entry time of the longest-waiting QUEUED task. */
  oldestWaitingSince: string | null;
  oldestWaitMinutes: number | null;
  /** Live tasks with less than an hour before their SLA deadline. */
  atRisk: number;
  /** Live tasks past their SLA deadline. */
  breached: number;
}

interface StatsRow {
  name: string;
  description: string;
  sla_minutes: number | null;
  capacity: number | null;
  waiting: number;
  scheduled: number;
  in_progress: number;
  on_hold: number;
  blocked: number;
  oldest: Date | null;
  at_risk: number;
  breached: number;
}

/**
 * Per queue, in display order: waiting, scheduled and in progress (the slots in use) against capacity, on hold, blocked, the
 * oldest wait, and the SLA gauges. The SLA runs from queue entry until the task completes, so
 * every live task (not COMPLETED / CANCELLED) counts for at risk / breached.
 */
export async function queueStats(prisma: PrismaClient, clock: Clock): Promise<QueueStats[]> {
  const now = clock.now();
  const riskEnd = new Date(now.getTime() + SLA_AT_RISK_MS);
  const rows = await prisma.$queryRaw<StatsRow[]>`
    SELECT q.name, q.description, q.sla_minutes, q.capacity,
           count(t.id) FILTER (WHERE t.state = 'QUEUED')::int AS waiting,
           count(t.id) FILTER (WHERE t.state = 'SCHEDULED')::int AS scheduled,
           count(t.id) FILTER (WHERE t.state = 'IN_PROGRESS')::int AS in_progress,
           count(t.id) FILTER (WHERE t.state = 'ON_HOLD')::int AS on_hold,
           count(t.id) FILTER (WHERE t.state = 'BLOCKED')::int AS blocked,
           min(t.queue_entered_at) FILTER (WHERE t.state = 'QUEUED') AS oldest,
           count(t.id) FILTER (WHERE t.sla_deadline >= ${now} AND t.sla_deadline < ${riskEnd})::int AS at_risk,
           count(t.id) FILTER (WHERE t.sla_deadline < ${now})::int AS breached
    FROM queues q
    LEFT JOIN tasks t ON t.queue_name = q.name AND t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL
    GROUP BY q.name, q.description, q.sla_minutes, q.capacity, q.sort_order
    ORDER BY q.sort_order`;
  return rows.map((r) => ({
    queue: r.name,
    description: r.description,
    slaMinutes: r.sla_minutes,
    capacity: r.capacity,
    waiting: r.waiting,
    scheduled: r.scheduled,
    inProgress: r.in_progress,
    onHold: r.on_hold,
    blocked: r.blocked,
    oldestWaitingSince: r.oldest ? r.oldest.toISOString() : null,
    oldestWaitMinutes: r.oldest ? Math.floor((now.getTime() - r.oldest.getTime()) / 60_000) : null,
    atRisk: r.at_risk,
    breached: r.breached,
  }));
}

export interface WaitingTask {
  id: string;
  title: string;
  /** 0-based, the same as the seed format's queue.position. */
  position: number;
  priorityScore: number;
  rank: string | null;
  enteredAt: string;
  slaDeadline: string | null;
  /** False while a blocker is not COMPLETED. */
  blockersDone: boolean;
  version: number;
}

interface WaitingRow {
  id: string;
  title: string;
  position: number;
  priority_score: number;
  rank: string | null;
  queue_entered_at: Date;
  sla_deadline: Date | null;
  blockers_done: boolean;
  version: number;
}

/**
 * Rows after a cursor task `c` in WAITING_ORDER_SQL order (rank COLLATE "C" ASC NULLS LAST,
 * priority_score DESC, queue_entered_at ASC, id ASC), spelt out because the directions differ.
 */
const AFTER_CURSOR_SQL = `(
  CASE WHEN c.c_rank IS NULL THEN t.rank IS NULL
       ELSE t.rank IS NULL OR t.rank COLLATE "C" > c.c_rank COLLATE "C" OR t.rank = c.c_rank END
  AND (t.rank IS DISTINCT FROM c.c_rank
       OR t.priority_score < c.c_score
       OR (t.priority_score = c.c_score
           AND (t.queue_entered_at > c.c_entered
                OR (t.queue_entered_at = c.c_entered AND t.id > c.c_id)))))`;

/**
 * The queue's waiting (QUEUED) tasks in dispatch order: the first `limit` of them when given, or
 * the `limit` after the waiting task `after` (keyset: read in the order of
 * tasks_waiting_order_idx from the cursor, so a page costs at most the queue's waiting rows,
 * never the finished ones). Positions are absolute. Unknown queue → NOT_FOUND; a cursor that is
 * no longer waiting in this queue → VALIDATION naming `after` (read the head again).
 */
export async function queueWaitingList(
  prisma: PrismaClient,
  queueName: string,
  options: { limit?: number; after?: string } = {},
): Promise<WaitingTask[]> {
  const queue = await prisma.queue.findUnique({ where: { name: queueName }, select: { name: true } });
  if (!queue) throw notFound("Queue", queueName);
  const after = options.after ?? null;
  if (after !== null) {
    const cursor = await prisma.task.findFirst({
      where: { id: after, queueName, state: "QUEUED", archivedAt: null },
      select: { id: true },
    });
    if (!cursor) {
      throw validationError([
        {
          path: "after",
          message: `${after} is not waiting in ${queueName}: read the head of the list again`,
        },
      ]);
    }
  }
  const waiting = `t.queue_name = $1 AND t.state = 'QUEUED' AND t.archived_at IS NULL`;
  const rows = await prisma.$queryRawUnsafe<WaitingRow[]>(
    `WITH c AS (
       SELECT rank AS c_rank, priority_score AS c_score, queue_entered_at AS c_entered, id AS c_id
       FROM tasks WHERE id = $3
     ),
     skipped AS (
       SELECT count(*)::int AS n FROM tasks t, c WHERE ${waiting} AND $3::text IS NOT NULL AND NOT ${AFTER_CURSOR_SQL}
     )
     SELECT t.id, t.title, t.priority_score, t.rank, t.queue_entered_at, t.sla_deadline, t.version,
            ((SELECT n FROM skipped) + ROW_NUMBER() OVER (ORDER BY ${WAITING_ORDER_SQL}) - 1)::int AS position,
            ${blockersDoneSql("t")} AS blockers_done
     FROM tasks t LEFT JOIN c ON true
     WHERE ${waiting} AND ($3::text IS NULL OR ${AFTER_CURSOR_SQL})
     ORDER BY ${WAITING_ORDER_SQL}
     LIMIT $2`,
    queueName,
    options.limit ?? null,
    after,
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    position: r.position,
    priorityScore: r.priority_score,
    rank: r.rank,
    enteredAt: r.queue_entered_at.toISOString(),
    slaDeadline: r.sla_deadline ? r.sla_deadline.toISOString() : null,
    blockersDone: r.blockers_done,
    version: r.version,
  }));
}
