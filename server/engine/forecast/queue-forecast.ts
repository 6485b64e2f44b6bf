import type { Tx } from "../context";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { holdsSlotSql } from "../queue/capacity-monitor";
import { blockersDoneSql } from "../state/eligibility";
import { forecastQueue, type TaskForecast } from "./estimator";
import { loadServiceTimes, serviceMsFor } from "./service-times";

// Loads queues and forecasts them (estimator.ts): the tasks holding a slot and the QUEUED ones
// in waiting order, with the recent service times of their skills; a QUEUED task behind
// unfinished blockers starts after their forecast finish. Tasks that are not waiting nor running
// (ON_HOLD, BLOCKED, FAILED…) have no forecast: nothing moves them forward by itself.

export interface ForecastedTask extends TaskForecast {
  taskId: string;
  queue: string;
  slaDeadline: Date | null;
  /** The forecast finish is after the SLA deadline. */
  breach: boolean;
}

interface Row {
  id: string;
  queue: string;
  state: string;
  capacity: number | null;
  skillTarget: string;
  estimatedDurationHours: number | null;
  startedAt: Date | null;
  scheduledFor: Date | null;
  slaDeadline: Date | null;
  eligible: boolean;
}

/** How many blockers deep a chain is followed (each level is one more pass over the queues). */
const MAX_CHAIN_DEPTH = 10;

/** The queues, and those of their waiting tasks' unfinished blockers, transitively. */
async function withBlockerQueues(tx: Tx, queues: string[]): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ name: string }[]>(
    `WITH RECURSIVE qs(name) AS (
       SELECT unnest($1::text[])
       UNION
       SELECT b.queue_name FROM qs
       JOIN tasks t ON t.queue_name = qs.name AND t.state = 'QUEUED' AND t.archived_at IS NULL
       JOIN task_dependencies d ON d.dependent_id = t.id
       JOIN tasks b ON b.id = d.blocker_id AND b.state <> 'COMPLETED'
     ) SELECT name FROM qs`,
    queues,
  );
  return rows.map((r) => r.name);
}

/** Unfinished blockers of the given tasks, by dependent. */
async function unfinishedBlockers(tx: Tx, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await tx.$queryRawUnsafe<{ dependentId: string; blockerId: string }[]>(
    `SELECT d.dependent_id AS "dependentId", d.blocker_id AS "blockerId"
     FROM task_dependencies d JOIN tasks b ON b.id = d.blocker_id
     WHERE d.dependent_id = ANY($1::text[]) AND b.state <> 'COMPLETED'`,
    ids,
  );
  for (const r of rows) out.set(r.dependentId, [...(out.get(r.dependentId) ?? []), r.blockerId]);
  return out;
}

/**
 * Forecasts of every waiting and running task of the given queues, by task id (and of the
 * queues their blockers wait in). A task waiting on unfinished blockers is ready when the last
 * of them is forecast to finish: the queues are forecast again with those moments until the
 * chains settle (one pass per level of a chain). A blocker with no forecast (on hold, blocked,
 * failed…) leaves its dependents without one.
 */
export async function forecastQueues(
  tx: Tx,
  at: Date,
  queues: string[],
): Promise<Map<string, ForecastedTask>> {
  const out = new Map<string, ForecastedTask>();
  if (queues.length === 0) return out;
  // The comment names this read for the sweep's statement-counting test.
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `/* forecast rows */ SELECT t.id, t.queue_name AS queue, t.state::text AS state, q.capacity, t.skill_target AS "skillTarget",
            t.estimated_duration_hours AS "estimatedDurationHours", t.started_at AS "startedAt",
            t.scheduled_for AS "scheduledFor", t.sla_deadline AS "slaDeadline",
            (t.state <> 'QUEUED' OR ${blockersDoneSql("t")}) AS eligible
     FROM tasks t JOIN queues q ON q.name = t.queue_name
     WHERE t.queue_name = ANY($1::text[]) AND t.archived_at IS NULL
       AND (${holdsSlotSql("t")} OR t.state = 'QUEUED')
     ORDER BY t.queue_name, ${WAITING_ORDER_SQL}`,
    await withBlockerQueues(tx, queues),
  );
  const times = await loadServiceTimes(tx, at, [...new Set(rows.map((r) => r.skillTarget))]);
  const blockers = await unfinishedBlockers(
    tx,
    rows.filter((r) => !r.eligible).map((r) => r.id),
  );
  // Grouped in place: copying the queue's array for each row was quadratic (60 ms for the
  // 9,560 live tasks a full sweep forecasts).
  const byQueue = new Map<string, Row[]>();
  for (const row of rows) {
    const queue = byQueue.get(row.queue);
    if (queue) queue.push(row);
    else byQueue.set(row.queue, [row]);
  }

  const forecastAll = (readyAt: Map<string, Date>) => {
    const all = new Map<string, TaskForecast | null>();
    for (const tasks of byQueue.values()) {
      const forecasts = forecastQueue({
        now: at,
        capacity: tasks[0]!.capacity,
        running: tasks
          .filter((t) => t.state !== "QUEUED")
          .map((t) => ({
            id: t.id,
            startedAt: t.state === "IN_PROGRESS" ? t.startedAt : null,
            serviceMs: serviceMsFor(t, times),
          })),
        waiting: tasks
          .filter((t) => t.state === "QUEUED")
          .map((t) => ({
            id: t.id,
            eligible: t.eligible,
            readyAt: readyAt.get(t.id) ?? null,
            notBefore: t.scheduledFor,
            serviceMs: serviceMsFor(t, times),
          })),
      });
      for (const [id, f] of forecasts) all.set(id, f);
    }
    return all;
  };
  /** When each blocked task's last blocker is forecast to finish; absent while one has none. */
  const readyFrom = (forecasts: Map<string, TaskForecast | null>) => {
    const ready = new Map<string, Date>();
    for (const [id, ids] of blockers) {
      const finishes = ids.map((b) => forecasts.get(b)?.finish);
      if (finishes.every((f): f is Date => f !== undefined))
        ready.set(id, new Date(Math.max(...finishes.map((f) => f.getTime()))));
    }
    return ready;
  };
  let readyAt = new Map<string, Date>();
  let forecasts = forecastAll(readyAt);
  for (let depth = 0; depth < MAX_CHAIN_DEPTH && blockers.size > 0; depth += 1) {
    const next = readyFrom(forecasts);
    const same =
      next.size === readyAt.size && [...next].every(([id, d]) => readyAt.get(id)?.getTime() === d.getTime());
    if (same) break;
    readyAt = next;
    forecasts = forecastAll(readyAt);
  }

  for (const task of rows) {
    const forecast = forecasts.get(task.id);
    if (!forecast) continue;
    out.set(task.id, {
      taskId: task.id,
      queue: task.queue,
      slaDeadline: task.slaDeadline,
      ...forecast,
      breach: task.slaDeadline !== null && forecast.finish > task.slaDeadline,
    });
  }
  return out;
}

export interface BreachForecast {
  task_id: string;
  /** When the SLA breaks (its live deadline). */
  sla_deadline: string;
  forecast_finish: string;
}

/** Per queue, the waiting and running tasks forecast to finish after their SLA deadline, soonest first. */
export async function breachForecasts(
  tx: Tx,
  at: Date,
  queues: string[],
): Promise<Map<string, BreachForecast[]>> {
  const out = new Map<string, BreachForecast[]>(queues.map((q) => [q, []]));
  for (const f of (await forecastQueues(tx, at, queues)).values()) {
    if (!f.breach || !f.slaDeadline) continue;
    out.get(f.queue)?.push({
      task_id: f.taskId,
      sla_deadline: f.slaDeadline.toISOString(),
      forecast_finish: f.finish.toISOString(),
    });
  }
  for (const list of out.values()) list.sort((a, b) => a.sla_deadline.localeCompare(b.sla_deadline));
  return out;
}
