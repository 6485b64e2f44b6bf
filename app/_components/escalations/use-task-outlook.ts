"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { isTaskState } from "@/lib/states";
import { apiFetch } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { useFormat } from "../ui/format";
import { useStateLabel } from "../ui/state-badge";

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

/**
 * The SLA clock and the forecast in the reader's words: "paused (waiting on the client) — 120 min
 * left", "running — 40 min left", "breached 5 min ago"; "finish … (start …)", or why there is none.
 */
export function useOutlookText() {
  const t = useTranslations("escalations.outlook");
  const format = useFormat();
  const stateLabel = useStateLabel();
  const pausedBy = (by: string | null) =>
    by === "client" || by === "blockers"
      ? t(`pausedBy.${by}`)
      : by && isTaskState(by)
        ? stateLabel(by)
        : (by ?? "");
  return {
    slaClock(sla: NonNullable<TaskOutlook["sla"]>): string {
      if (sla.remaining_minutes < 0) return t("slaOverdue", { overdue: -sla.remaining_minutes });
      return sla.paused
        ? t("slaPaused", { by: pausedBy(sla.paused_by), remaining: sla.remaining_minutes })
        : t("slaRunning", { remaining: sla.remaining_minutes });
    },
    forecast(forecast: TaskOutlook["forecast"]): string {
      if (!forecast) return t("forecastNone");
      const when = t("forecastFinish", {
        finish: format.dateTime(forecast.finish),
        start: format.dateTime(forecast.start),
      });
      return forecast.breach ? `${when} — ${t("forecastBreach")}` : when;
    },
  };
}
