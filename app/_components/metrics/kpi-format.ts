import type { Kpi, KpiTarget, KpiUnit } from "@/lib/metrics";
import { formatDuration } from "../time/sla";

export function formatKpiNumber(value: number | null, unit: KpiUnit): string {
  if (value === null) return "—";
  switch (unit) {
    case "seconds":
      return value < 1 ? `${Math.round(value * 1000)} ms` : formatDuration(value * 1000);
    case "percent":
      return `${value.toFixed(value >= 99.95 || value === 0 ? 0 : 1)} %`;
    case "per_day":
      return `${value.toFixed(value >= 10 ? 0 : 1)} / day`;
  }
}

export function formatTarget(target: KpiTarget | null): string {
  if (!target) return "no target";
  return `target ${target.comparator === "lt" ? "<" : ">"} ${formatKpiNumber(target.value, target.unit)}`;
}

export const formatKpi = (kpi: Kpi) => formatKpiNumber(kpi.value, kpi.unit);
