"use client";

import { t } from "../escalations/strings";
import { forecastText, slaClockText, useTaskOutlook } from "../escalations/use-task-outlook";
import { useFormat } from "../ui/format";

/** The task's SLA clock (paused or running, minutes left) and its forecast, on the task page. */
export function TaskOutlook({ taskId }: { taskId: string }) {
  const { data } = useTaskOutlook(taskId);
  const format = useFormat();
  if (!data || (!data.sla && !data.forecast)) return null;
  const { sla, forecast } = data;
  return (
    <p className="flex flex-wrap gap-x-4 text-sm" data-testid="task-outlook">
      {sla && (
        <span>
          <span className="muted">{t("slaClock")}: </span>
          {slaClockText(sla)}
        </span>
      )}
      <span>
        <span className="muted">{t("forecast")}: </span>
        {forecastText(forecast, format)}
      </span>
    </p>
  );
}
