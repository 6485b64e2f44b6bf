"use client";

import { useTranslations } from "next-intl";
import { KPI_NAMES, type KpiStatus, type QueueKpis } from "@/lib/metrics";
import { useQueueLabel } from "../ui/labels";
import { useKpiFormat } from "./kpi-format";

const CELL: Record<KpiStatus, string> = {
  pass: "text-emerald-800 dark:text-emerald-300",
  fail: "font-semibold text-red-700 dark:text-red-400",
  no_target: "",
  no_data: "muted",
};

/** Every KPI per queue, coloured against its target. */
export function QueueKpiTable({ queues }: { queues: QueueKpis[] }) {
  const t = useTranslations("metrics");
  const { formatKpi } = useKpiFormat();
  const queueLabel = useQueueLabel();
  return (
    <div className="panel overflow-x-auto p-4">
      <table className="w-full text-left text-sm">
        <caption className="mb-2 text-left text-sm font-semibold">{t("perQueue")}</caption>
        <thead className="muted text-xs uppercase">
          <tr>
            <th scope="col" className="py-1 pr-3">
              {t("queue")}
            </th>
            {KPI_NAMES.map((name) => (
              <th key={name} scope="col" className="py-1 pr-3">
                {t(`kpis.${name}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {queues.map((q) => (
            <tr key={q.queue}>
              <th scope="row" className="py-1.5 pr-3 font-medium">
                {queueLabel(q.queue)}
              </th>
              {KPI_NAMES.map((name) => {
                const kpi = q.kpis[name];
                return (
                  <td key={name} className={`py-1.5 pr-3 tabular-nums ${CELL[kpi.status]}`}>
                    {formatKpi(kpi)}
                    {kpi.status === "fail" && <span className="sr-only">{t("offTarget")}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
