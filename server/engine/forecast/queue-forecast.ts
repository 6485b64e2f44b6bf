import type { Tx } from "../context";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { holdsSlotSql } from "../queue/capacity-monitor";
import { blockersDoneSql } from "../state/eligibility";
import { forecastQueue, type TaskForecast } from "./estimator";
import { loadServiceTimes, serviceMsFor } from "./service-times";

// Loads queues and forecasts them (estimator.ts): the tasks holding a slot and the QUEUED ones
// in waiting order, with the recent service times of their skills. Tasks that are not waiting
// nor running (ON_HOLD, BLOCKED, FAILED…) have no forecast: nothing moves them forward by itself.

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

/** Forecasts of every waiting and running task of the given queues, by task id. */
export async function forecastQueues(
  tx: Tx,
  at: Date,
  queues: string[],
): Promise<Map<string, ForecastedTask>> {
  const out = new Map<string, ForecastedTask>();
  if (queues.length === 0) return out;
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `SELECT t.id, t.queue_name AS queue, t.state::text AS state, q.capacity, t.skill_target AS "skillTarget",
            t.estimated_duration_hours AS "estimatedDurationHours", t.started_at AS "startedAt",
            t.scheduled_for AS "scheduledFor", t.sla_deadline AS "slaDeadline",
            (t.state <> 'QUEUED' OR ${blockersDoneSql("t")}) AS eligible
     FROM tasks t JOIN queues q ON q.name = t.queue_name
     WHERE t.queue_name = ANY($1::text[]) AND t.archived_at IS NULL
       AND (${holdsSlotSql("t")} OR t.state = 'QUEUED')
     ORDER BY t.queue_name, ${WAITING_ORDER_SQL}`,
    queues,
  );
  const times = await loadServiceTimes(tx, at, [...new Set(rows.map((r) => r.skillTarget))]);
  const byQueue = new Map<string, Row[]>();
  for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
  for (const [queue, tasks] of byQueue) {
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
          notBefore: t.scheduledFor,
          serviceMs: serviceMsFor(t, times),
        })),
    });
    for (const task of tasks) {
      const forecast = forecasts.get(task.id);
      if (!forecast) continue;
      out.set(task.id, {
        taskId: task.id,
        queue,
        slaDeadline: task.slaDeadline,
        ...forecast,
        breach: task.slaDeadline !== null && forecast.finish > task.slaDeadline,
      });
    }
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
