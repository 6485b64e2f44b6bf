"use client";

import { useTranslations } from "next-intl";
import type { Kpi, KpiStatus } from "@/lib/metrics";
import { shownStatus, useKpiFormat } from "./kpi-format";

const STATUS: Record<KpiStatus | "small_sample", { classes: string }> = {
  pass: {
    classes:
      "border-emerald-600 bg-emerald-50 text-emerald-950 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-50",
  },
  fail: {
    classes: "border-red-600 bg-red-50 text-red-950 dark:border-red-500 dark:bg-red-950 dark:text-red-50",
  },
  no_target: {
    classes:
      "border-slate-300 bg-white text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
  },
  small_sample: {
    classes:
      "border-dashed border-slate-400 bg-white text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100",
  },
  no_data: {
    classes:
      "border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300",
  },
};

/**
 * One KPI against its target: green when met, red when missed — except a rate over too small a
 * sample (MIN_RATE_SAMPLE), shown neutral. Rates show their sample size.
 */
export function KpiTile({ kpi, size = "md", extra }: { kpi: Kpi; size?: "md" | "lg"; extra?: string }) {
  const shown = shownStatus(kpi);
  const status = STATUS[shown];
  const t = useTranslations("metrics");
  const { formatKpi, formatTarget } = useKpiFormat();
  return (
    <div
      className={`flex min-w-0 flex-col gap-1 rounded-lg border-2 ${size === "lg" ? "p-2" : "p-3"} ${status.classes}`}
      data-testid="kpi"
      data-kpi={kpi.name}
      data-status={shown}
    >
      <span className={`truncate font-medium ${size === "lg" ? "text-base" : "text-sm"}`}>
        {t(`kpis.${kpi.name}`)}
      </span>
      <span
        className={`font-semibold whitespace-nowrap tabular-nums ${size === "lg" ? "text-3xl" : "text-2xl"}`}
        data-testid="kpi-value"
      >
        {formatKpi(kpi)}
      </span>
      <span className={size === "lg" ? "text-sm leading-snug" : "text-xs"}>
        {kpi.target || kpi.status === "no_target" || kpi.status === "no_data"
          ? formatTarget(kpi.target)
          : t("perQueueTargets")}{" "}
        · {t(`status.${shown}`)}
        {kpi.unit === "percent" && (
          <span data-testid="kpi-sample"> · {t("sample", { count: kpi.sample })}</span>
        )}
        {extra ? ` · ${extra}` : ""}
      </span>
    </div>
  );
}
