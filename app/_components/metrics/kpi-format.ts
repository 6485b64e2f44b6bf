"use client";

import { useTranslations } from "next-intl";
import type { Kpi, KpiStatus, KpiTarget, KpiUnit } from "@/lib/metrics";
import { useDuration } from "../time/sla";
import { useFormat } from "../ui/format";

/**
 * Below this many tasks a rate says little (4 failures out of 5 is "80 %"): it is shown with its
 * sample size and never coloured as a missed target.
 */
export const MIN_RATE_SAMPLE = 20;

/** The status to show: a missed rate over too small a sample is not an alarm. */
export function shownStatus(kpi: Kpi): KpiStatus | "small_sample" {
  return kpi.unit === "percent" && kpi.sample < MIN_RATE_SAMPLE && kpi.status === "fail"
    ? "small_sample"
    : kpi.status;
}

/** KPI values and targets in the reader's language: "8.5 %" / "8,5 %", "1.2 / day" / "1,2 / jour". */
export function useKpiFormat() {
  const t = useTranslations("metrics");
  const format = useFormat();
  const formatDuration = useDuration();
  const round = (value: number, digits: number) => format.number(value, { maximumFractionDigits: digits });
  const formatKpiNumber = (value: number | null, unit: KpiUnit): string => {
    if (value === null) return "—";
    switch (unit) {
      case "seconds":
        return value < 1 ? t("ms", { value: Math.round(value * 1000) }) : formatDuration(value * 1000);
      case "percent":
        return `${round(value, value >= 99.95 || value === 0 ? 0 : 1)} %`;
      case "per_day":
        return t("perDay", { value: round(value, value >= 10 ? 0 : 1) });
    }
  };
  return {
    formatKpiNumber,
    formatKpi: (kpi: Kpi) => formatKpiNumber(kpi.value, kpi.unit),
    formatTarget: (target: KpiTarget | null) =>
      target
        ? t("target", {
            comparator: target.comparator === "lt" ? "<" : ">",
            value: formatKpiNumber(target.value, target.unit),
          })
        : t("noTarget"),
  };
}
