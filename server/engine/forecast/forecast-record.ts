import { Prisma } from "../../db/generated/client";
import type { Tx } from "../context";
import type { ForecastedTask } from "./queue-forecast";

// Forecasts checked against what happened (docs/forecast.md): the first forecast the engine
// makes for a task is kept (one row per task; later forecasts know more and would flatter the
// estimator), and once the task completes, |predicted finish − completed_at| is its error. The
// metrics report the median absolute error in minutes over the tasks completed in the window.

/**
 * Keeps the forecasts of the tasks that have none stored yet; returns how many were stored. One
 * statement whatever the number of live tasks (the sweep forecasts all of them every minute):
 * the task's state is read and the already-recorded ones skipped inside PostgreSQL, so a sweep
 * with nothing new writes nothing and sends no row back.
 */
export async function recordFirstForecasts(
  tx: Tx,
  at: Date,
  forecasts: Iterable<ForecastedTask>,
): Promise<number> {
  const rows = [...forecasts];
  if (rows.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO task_forecasts (task_id, forecast_at, predicted_start, predicted_finish, state_at)
    SELECT f.task_id, ${at}, f.predicted_start, f.predicted_finish, t.state::text
    FROM unnest(
      ${rows.map((r) => r.taskId)}::text[],
      ${rows.map((r) => r.start.toISOString())}::timestamptz[],
      ${rows.map((r) => r.finish.toISOString())}::timestamptz[]
    ) AS f(task_id, predicted_start, predicted_finish)
    JOIN tasks t ON t.id = f.task_id
    WHERE NOT EXISTS (SELECT 1 FROM task_forecasts k WHERE k.task_id = f.task_id)
    ON CONFLICT (task_id) DO NOTHING`;
}

export interface ForecastAccuracy {
  /** Median |predicted finish − completed_at| in minutes over the window's completions; null with none. */
  median_abs_error_minutes: number | null;
  /** Completed tasks in the window that had a stored forecast. */
  samples: number;
}

/** The forecast's median absolute error over the tasks completed in [from, to), optionally one queue. */
export async function forecastAccuracy(
  db: Tx,
  window: { from: Date; to: Date },
  queue?: string,
): Promise<ForecastAccuracy> {
  const [row] = await db.$queryRaw<{ mae: number | null; n: number }[]>`
    SELECT (percentile_cont(0.5) WITHIN GROUP (
              ORDER BY abs(extract(epoch FROM t.completed_at - f.predicted_finish)) / 60))::float8 AS mae,
           count(*)::int AS n
    FROM task_forecasts f JOIN tasks t ON t.id = f.task_id
    WHERE t.state = 'COMPLETED' AND t.completed_at >= ${window.from} AND t.completed_at < ${window.to}
      ${queue ? Prisma.sql`AND t.queue_name = ${queue}` : Prisma.empty}`;
  return {
    median_abs_error_minutes:
      row?.mae === null || row?.mae === undefined ? null : Math.round(row.mae * 10) / 10,
    samples: row?.n ?? 0,
  };
}
