"use client";

import { useTranslations } from "next-intl";
import { useBreachForecasts } from "../data/use-breach-forecasts";
import { useNow } from "../time/use-now";

/** "breach forecast in 40 min" on a card whose task the forecast says will miss its SLA. */
export function BreachForecast({ taskId }: { taskId: string }) {
  const deadline = useBreachForecasts().get(taskId);
  const t = useTranslations("escalations.outlook");
  const now = useNow();
  if (!deadline || now === null) return null;
  const minutes = Math.max(0, Math.round((new Date(deadline).getTime() - now) / 60_000));
  return (
    <p
      className="mt-1 text-xs font-semibold text-amber-800 dark:text-amber-300"
      data-testid="breach-forecast"
    >
      {t("breachForecastIn", { minutes })}
    </p>
  );
}
