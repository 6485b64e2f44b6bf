import { dateOrNull, type JsonDates } from "../../db/json-dates";
import type { Tx } from "../context";
import { type ClockPolicyRow, toClockPolicy } from "./clock-policies";
import type { SlaClockPolicy } from "./sla-clock";

// What the SLA clocks of a selection of live tasks are computed from (refresh-sla.ts), read in
// one statement: the tasks, their state history, their blocker waits and their queues' clock
// policies. A sweep pass refreshes a slice of clocks every time and the follower after every
// change; as four statements through Prisma this was a third of a quiet sweep pass.

/** Queues whose deadline is not a clock: the planned date (scheduled), or none (backlog). */
const NO_CLOCK_SQL = `q.sla_minutes IS NULL OR q.name = 'scheduled'`;

export interface ClockTask {
  id: string;
  queue: string;
  slaMinutes: number;
  enteredAt: Date;
  version: number;
  slaDeadline: Date | null;
  slaPaused: boolean;
}

export interface ClockHistory {
  taskId: string;
  state: string;
  at: Date;
  reason: string | null;
}

export interface BlockerWait {
  taskId: string;
  from: Date;
  done: boolean;
  to: Date | null;
}

export interface ClockInputs {
  tasks: ClockTask[];
  /** By task, in time order. */
  history: Map<string, ClockHistory[]>;
  waits: Map<string, BlockerWait>;
  /** Every selected task's queue (the defaults for a queue without a row). */
  policies: Map<string, SlaClockPolicy>;
}

export interface ClockSelection {
  /** Only these tasks. */
  taskIds?: string[] | null;
  /** Only this queue's tasks. */
  queue?: string | null;
  /** The tasks after this id, in id order. */
  afterId?: string | null;
  limit: number;
  /** An archived task too (a task's own page); the sweeps and refreshes leave them out. */
  archived?: boolean;
}

interface RawInputs {
  tasks: JsonDates<ClockTask>[];
  history: JsonDates<ClockHistory>[];
  waits: JsonDates<BlockerWait>[];
  policies: (ClockPolicyRow & { queueName: string })[];
}

/** The live tasks with a clock in the selection (id order), and what their clocks read. */
export async function readClockInputs(tx: Tx, selection: ClockSelection): Promise<ClockInputs> {
  const [row] = await tx.$queryRawUnsafe<{ inputs: RawInputs }[]>(
    `WITH picked AS (
       SELECT t.id, t.queue_name AS queue, q.sla_minutes AS "slaMinutes", t.queue_entered_at AS "enteredAt",
              t.version, t.sla_deadline AS "slaDeadline", t.sla_paused AS "slaPaused"
       FROM tasks t JOIN queues q ON q.name = t.queue_name
       WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND ($5::boolean OR t.archived_at IS NULL) AND NOT (${NO_CLOCK_SQL})
         AND ($1::text[] IS NULL OR t.id = ANY($1::text[]))
         AND ($2::text IS NULL OR t.queue_name = $2) AND ($3::text IS NULL OR t.id > $3)
       ORDER BY t.id
       LIMIT $4)
     SELECT json_build_object(
       'tasks', (SELECT coalesce(json_agg(p ORDER BY p.id), '[]') FROM picked p),
       'history', (SELECT coalesce(json_agg(json_build_object('taskId', h.task_id, 'state', h.state, 'at', h.at,
                                                               'reason', h.reason) ORDER BY h.task_id, h.at, h.id), '[]')
                   FROM task_state_history h WHERE h.task_id IN (SELECT id FROM picked)),
       'waits', (SELECT coalesce(json_agg(w), '[]') FROM (
                   SELECT d.dependent_id AS "taskId", min(d.created_at) AS "from",
                          bool_and(b.state = 'COMPLETED') AS done, max(b.completed_at) AS "to"
                   FROM task_dependencies d JOIN tasks b ON b.id = d.blocker_id
                   WHERE d.dependent_id IN (SELECT id FROM picked) GROUP BY d.dependent_id) w),
       'policies', (SELECT coalesce(json_agg(json_build_object(
                      'queueName', s.queue_name, 'pauseStates', s.pause_states,
                      'pauseOnClientBlock', s.pause_on_client_block, 'clientBlockerKeywords', s.client_blocker_keywords,
                      'pauseWhileWaitingOnBlockers', s.pause_while_waiting_on_blockers,
                      'clockStarts', s.clock_starts, 'calendar', s.calendar)), '[]')
                    FROM sla_policies s WHERE s.queue_name IN (SELECT queue FROM picked))
     ) AS inputs`,
    selection.taskIds ?? null,
    selection.queue ?? null,
    selection.afterId ?? null,
    selection.limit,
    selection.archived ?? false,
  );
  const raw = row!.inputs;
  const tasks = raw.tasks.map((t) => ({
    ...t,
    enteredAt: new Date(t.enteredAt),
    slaDeadline: dateOrNull(t.slaDeadline),
  }));
  const history = new Map<string, ClockHistory[]>();
  for (const h of raw.history) {
    const rows = history.get(h.taskId) ?? [];
    rows.push({ ...h, at: new Date(h.at) });
    history.set(h.taskId, rows);
  }
  const waits = new Map(
    raw.waits.map((w) => [w.taskId, { ...w, from: new Date(w.from), to: dateOrNull(w.to) }] as const),
  );
  const rowOf = new Map(raw.policies.map((p) => [p.queueName, p]));
  const policies = new Map(tasks.map((t) => [t.queue, toClockPolicy(rowOf.get(t.queue) ?? null)] as const));
  return { tasks, history, waits, policies };
}
