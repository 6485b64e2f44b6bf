import type { PrismaClient } from "../../db/client";
import { forecastQueues } from "../forecast/queue-forecast";
import { loadTaskSla, type TaskSlaView } from "./refresh-sla";

export interface TaskForecastView {
  start: string;
  finish: string;
  breach: boolean;
}

/** A task's SLA clock and forecast now, read side by side for the task detail. */
export async function loadTaskOutlook(
  db: PrismaClient,
  at: Date,
  task: { id: string; queue: string },
): Promise<{ sla: TaskSlaView | null; forecast: TaskForecastView | null }> {
  return db.$transaction(async (tx) => {
    const sla = await loadTaskSla(tx, at, task.id);
    const f = (await forecastQueues(tx, at, [task.queue])).get(task.id);
    return {
      sla,
      forecast: f ? { start: f.start.toISOString(), finish: f.finish.toISOString(), breach: f.breach } : null,
    };
  });
}
