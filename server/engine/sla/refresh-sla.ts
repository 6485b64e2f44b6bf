import type { Tx } from "../context";
import { recordEvent } from "../tracking/events";
import { loadClockPolicies } from "./clock-policies";
import { computeSlaClock, type SlaClock, type SlaFacts } from "./sla-clock";

// Materialises each live task's SLA clock (sla-clock.ts) on its row: sla_deadline (the live
// deadline after pauses, null while paused), sla_paused, sla_elapsed_ms as of sla_clock_at. The
// clock is derived data — a pure function of the task's history, its blockers and its queue's
// policy — and it only changes when one of those does (not with time alone), so it is refreshed
// from outside the write path: by the engine right after it hears a task change
// (follow-changes.ts), for a whole queue when its policy changes, and by the escalation sweep
// walking every live task in turn (a safety net for a missed notification).
// It does not bump the task's version (nobody's edit goes stale because a clock moved); a
// change of deadline or pause is published as a "task.sla_clock" event so screens refresh.

/** Queues whose deadline is not a clock: the planned date (scheduled), or none (backlog). */
const NO_CLOCK_SQL = `q.sla_minutes IS NULL OR q.name = 'scheduled'`;

interface TaskRow {
  id: string;
  queue: string;
  slaMinutes: number;
  enteredAt: Date;
  version: number;
  slaDeadline: Date | null;
  slaPaused: boolean;
}

export interface RefreshOptions {
  /** Only these tasks (after a change). */
  taskIds?: string[];
  /** Only this queue's tasks (its policy changed). */
  queue?: string;
  /** Otherwise: the live tasks after this id, in id order (the sweep walks them all in turn). */
  afterId?: string;
  limit?: number;
}

export interface RefreshResult {
  /** Tasks whose deadline or pause changed (written, and published as task.sla_clock). */
  changed: string[];
  /** The last task looked at, for the sweep's next batch; null when the batch reached the end. */
  lastId: string | null;
}

/**
 * Refreshes the SLA clocks. Reads without locking (a clock only changes when something else did)
 * and writes only a clock that changed: the dispatcher, which skips rows locked by others, is
 * never made to miss a task by a refresh that had nothing to say — and a change it might have
 * missed is published as task.sla_clock, which wakes it.
 */
export async function refreshSlaClocks(
  tx: Tx,
  at: Date,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const ids = options.taskIds ?? null;
  if (ids !== null && ids.length === 0) return { changed: [], lastId: null };
  const limit = options.limit ?? 500;
  const tasks = await tx.$queryRawUnsafe<TaskRow[]>(
    `SELECT t.id, t.queue_name AS queue, q.sla_minutes AS "slaMinutes", t.queue_entered_at AS "enteredAt",
            t.version, t.sla_deadline AS "slaDeadline", t.sla_paused AS "slaPaused"
     FROM tasks t JOIN queues q ON q.name = t.queue_name
     WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL AND NOT (${NO_CLOCK_SQL})
       AND ($1::text[] IS NULL OR t.id = ANY($1::text[]))
       AND ($2::text IS NULL OR t.queue_name = $2) AND ($3::text IS NULL OR t.id > $3)
     ORDER BY t.id
     LIMIT $4`,
    ids,
    options.queue ?? null,
    options.afterId ?? null,
    limit,
  );
  if (tasks.length === 0) return { changed: [], lastId: null };
  const clocks = await clocksOf(tx, at, tasks);
  const changed: string[] = [];
  for (const task of tasks) {
    const clock = clocks.get(task.id)!;
    const moved = (clock.deadline?.getTime() ?? null) !== (task.slaDeadline?.getTime() ?? null);
    // Nothing to say: leave the row alone (the write path has enough to do).
    if (!moved && clock.paused === task.slaPaused) continue;
    // Only over the version it was computed from: a task changed meanwhile is refreshed again
    // after that change (its event reaches the follower).
    const written = await tx.$executeRaw`
      UPDATE tasks SET sla_deadline = ${clock.deadline}, sla_paused = ${clock.paused},
                       sla_elapsed_ms = ${clock.elapsedMs}, sla_clock_at = ${at}
      WHERE id = ${task.id} AND version = ${task.version}`;
    if (written === 0) continue;
    changed.push(task.id);
    await recordEvent(tx, {
      at,
      type: "task.sla_clock",
      taskId: task.id,
      version: task.version,
      queue: task.queue,
      payload: { paused: clock.paused, sla_deadline: clock.deadline?.toISOString() ?? null },
    });
  }
  return { changed, lastId: tasks.length === limit ? tasks.at(-1)!.id : null };
}

/** The live SLA clock of each task (those with a clock: not finished, in a queue with an SLA). */
export async function clocksOf(
  tx: Tx,
  at: Date,
  tasks: Pick<TaskRow, "id" | "queue" | "slaMinutes" | "enteredAt">[],
): Promise<Map<string, SlaClock>> {
  const out = new Map<string, SlaClock>();
  if (tasks.length === 0) return out;
  const taskIds = tasks.map((t) => t.id);
  // The history and the blocker waits in one round trip (a sweep pass refreshes a slice of clocks
  // each time, the follower after every change): `wait` rows carry the wait, the others a state.
  const rows = await tx.$queryRaw<
    {
      taskId: string;
      wait: boolean;
      state: string | null;
      at: Date | null;
      reason: string | null;
      from: Date | null;
      done: boolean | null;
      to: Date | null;
    }[]
  >`
    SELECT * FROM (
      SELECT task_id AS "taskId", false AS wait, state::text AS state, at, reason, id,
             NULL::timestamptz AS "from", NULL::boolean AS done, NULL::timestamptz AS "to"
      FROM task_state_history WHERE task_id = ANY(${taskIds}::text[])
      UNION ALL
      SELECT d.dependent_id, true, NULL, NULL, NULL, NULL,
             min(d.created_at), bool_and(b.state = 'COMPLETED'), max(b.completed_at)
      FROM task_dependencies d JOIN tasks b ON b.id = d.blocker_id
      WHERE d.dependent_id = ANY(${taskIds}::text[]) GROUP BY d.dependent_id
    ) r ORDER BY r."taskId", r.at, r.id`;
  const history = rows.flatMap((r) =>
    r.wait ? [] : [{ taskId: r.taskId, state: r.state!, at: r.at!, reason: r.reason }],
  );
  const waits = rows.flatMap((r) =>
    r.wait ? [{ taskId: r.taskId, from: r.from!, done: r.done!, to: r.to }] : [],
  );
  const policies = await loadClockPolicies(tx, [...new Set(tasks.map((t) => t.queue))]);
  const historyOf = new Map<string, typeof history>();
  for (const h of history) historyOf.set(h.taskId, [...(historyOf.get(h.taskId) ?? []), h]);
  const waitOf = new Map(waits.map((w) => [w.taskId, w]));
  for (const task of tasks) {
    const rows = historyOf.get(task.id) ?? [];
    // The state in effect at entry, then the transitions since.
    const atEntry = rows.filter((r) => r.at <= task.enteredAt).at(-1);
    const states = [...(atEntry ? [atEntry] : []), ...rows.filter((r) => r.at > task.enteredAt)];
    const wait = waitOf.get(task.id);
    const facts: SlaFacts = {
      slaMs: task.slaMinutes * 60_000,
      enteredAt: task.enteredAt,
      states: states.map((s) => ({ state: s.state, at: s.at, reason: s.reason })),
      blockerWait:
        wait && (!wait.done || (wait.to !== null && wait.to > wait.from))
          ? { from: wait.from, to: wait.done ? wait.to : null }
          : null,
      now: at,
    };
    out.set(task.id, computeSlaClock(facts, policies.get(task.queue)!));
  }
  return out;
}

export interface TaskSlaView {
  paused: boolean;
  /** The pause state, "client" (BLOCKED on the client) or "blockers"; null while running. */
  paused_by: string | null;
  elapsed_minutes: number;
  remaining_minutes: number;
  /** The live deadline after pauses (business time); null while paused with time left. */
  deadline: string | null;
}

/** A task's SLA clock now, for the API; null without one (finished, backlog, scheduled). */
export async function loadTaskSla(tx: Tx, at: Date, taskId: string): Promise<TaskSlaView | null> {
  const [task] = await tx.$queryRawUnsafe<TaskRow[]>(
    `SELECT t.id, t.queue_name AS queue, q.sla_minutes AS "slaMinutes", t.queue_entered_at AS "enteredAt"
     FROM tasks t JOIN queues q ON q.name = t.queue_name
     WHERE t.id = $1 AND t.state NOT IN ('COMPLETED', 'CANCELLED') AND NOT (${NO_CLOCK_SQL})`,
    taskId,
  );
  if (!task) return null;
  const clock = (await clocksOf(tx, at, [task])).get(task.id)!;
  return {
    paused: clock.paused,
    paused_by: clock.pausedBy,
    elapsed_minutes: Math.floor(clock.elapsedMs / 60_000),
    remaining_minutes: Math.floor(clock.remainingMs / 60_000),
    deadline: clock.deadline?.toISOString() ?? null,
  };
}
