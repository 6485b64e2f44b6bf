"use client";

import { useMemo } from "react";
import { useQueueStats } from "./use-queues";

/** Task id → when its SLA breaks, for the tasks the forecast says will miss it (from GET /queues). */
export function useBreachForecasts(): Map<string, string> {
  const { data } = useQueueStats();
  return useMemo(
    () =>
      new Map(
        (data?.queues ?? []).flatMap((q) =>
          (q.forecast_breaches ?? []).map((b) => [b.task_id, b.sla_deadline]),
        ),
      ),
    [data],
  );
}
