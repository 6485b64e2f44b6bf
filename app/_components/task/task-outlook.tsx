"use client";

import { useTranslations } from "next-intl";
import { useOutlookText, useTaskOutlook } from "../escalations/use-task-outlook";

/** The task's SLA clock (paused or running, minutes left) and its forecast, on the task page. */
export function TaskOutlook({ taskId }: { taskId: string }) {
  const { data } = useTaskOutlook(taskId);
  const t = useTranslations("escalations.outlook");
  const text = useOutlookText();
  if (!data || (!data.sla && !data.forecast)) return null;
  const { sla, forecast } = data;
  return (
    <p className="flex flex-wrap gap-x-4 text-sm" data-testid="task-outlook">
      {sla && (
        <span>
          <span className="muted">{t("slaClock")}: </span>
          {text.slaClock(sla)}
        </span>
      )}
      <span>
        <span className="muted">{t("forecast")}: </span>
        {text.forecast(forecast)}
      </span>
    </p>
  );
}
