import type { BoardCard, BoardSnapshot } from "@/lib/board";
import { ESCALATION_URGENCIES, OPEN_ESCALATION_STATUSES } from "@/lib/escalations";
import type { TaskStateName } from "@/lib/states";
import type { PrismaClient } from "../../db/client";
import type { Clock } from "../clock";
import { WAITING_ORDER_SQL } from "../format/seed-format";

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

/** Terminal columns show only their most recent cards. */
const TERMINAL_LIMIT = 50;

const CARD_SQL = `
  SELECT t.id, t.title, t.state, t.queue_name,
         CASE WHEN t.state = 'QUEUED'
              THEN (ROW_NUMBER() OVER (PARTITION BY t.queue_name, t.state = 'QUEUED' ORDER BY ${WAITING_ORDER_SQL}) - 1)::int
         END AS position,
         t.priority_score, t.sla_deadline, t.progress_percent, t.assigned_to, t.skill_target,
         t.client_name, t.intake_id, t.project_type, t.blocker_reason, t.version, t.updated_at,
         (SELECT count(*)::int FROM task_dependencies d JOIN tasks b ON b.id = d.blocker_id
           WHERE d.dependent_id = t.id AND b.state <> 'COMPLETED') AS waiting_on,
         (SELECT e.urgency FROM escalations e
           WHERE e.task_id = t.id AND e.status IN (${sqlList(OPEN_ESCALATION_STATUSES)})
           ORDER BY array_position(ARRAY[${sqlList(ESCALATION_URGENCIES)}]::text[], e.urgency) NULLS LAST, e.deadline
           LIMIT 1) AS escalation_urgency
  FROM tasks t`;

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

export async function boardSnapshot(prisma: PrismaClient, clock: Clock): Promise<BoardSnapshot> {
  const rows = await prisma.$queryRawUnsafe<CardRow[]>(
    `WITH live AS (${CARD_SQL} WHERE t.archived_at IS NULL AND t.state NOT IN ('COMPLETED', 'CANCELLED')),
          done AS (${CARD_SQL} WHERE t.archived_at IS NULL AND t.state IN ('COMPLETED', 'CANCELLED')
                   ORDER BY t.updated_at DESC LIMIT ${TERMINAL_LIMIT * 2})
     SELECT * FROM live UNION ALL SELECT * FROM done`,
  );
  return { cards: rows.map(toCard), serverTime: clock.now().toISOString() };
}

export async function boardCard(prisma: PrismaClient, taskId: string): Promise<BoardCard | null> {
  const rows = await prisma.$queryRawUnsafe<CardRow[]>(
    `SELECT * FROM (${CARD_SQL} WHERE t.queue_name = (SELECT queue_name FROM tasks WHERE id = $1)) c WHERE c.id = $1`,
    taskId,
  );
  return rows[0] ? toCard(rows[0]) : null;
}
