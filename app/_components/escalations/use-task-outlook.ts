"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { Format } from "../ui/format";
import { t } from "./strings";

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

/** "paused (client) — 120 min left", "running — 40 min left", "breached 5 min ago". */
export function slaClockText(sla: NonNullable<TaskOutlook["sla"]>): string {
  if (sla.remaining_minutes < 0) return t("slaOverdue", { overdue: -sla.remaining_minutes });
  return sla.paused
    ? t("slaPaused", { by: sla.paused_by ?? "", remaining: sla.remaining_minutes })
    : t("slaRunning", { remaining: sla.remaining_minutes });
}

/** "finish … (start …) — breach forecast: …", or why there is none. */
export function forecastText(forecast: TaskOutlook["forecast"], format: Format): string {
  if (!forecast) return t("forecastNone");
  const when = t("forecastFinish", {
    finish: format.dateTime(forecast.finish),
    start: format.dateTime(forecast.start),
  });
  return forecast.breach ? `${when} — ${t("forecastBreach")}` : when;
}
