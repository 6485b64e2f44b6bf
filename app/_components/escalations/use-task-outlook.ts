"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api-client";
import { queryKeys } from "../data/query-keys";

export interface TaskOutlook {
  sla: {
    paused: boolean;
    paused_by: string | null;
    elapsed_minutes: number;
    remaining_minutes: number;
    deadline: string | null;
  } | null;
  forecast: { start: string; finish: string; breach: boolean } | null;
}

/** The task's SLA clock and forecast (GET /api/v1/tasks/{id}); refreshed with the task. */
export function useTaskOutlook(id: string) {
  return useQuery({
    queryKey: [...queryKeys.task(id), "outlook"],
    queryFn: () => apiFetch<TaskOutlook>(`/api/v1/tasks/${encodeURIComponent(id)}`),
  });
}
