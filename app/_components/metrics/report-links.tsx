"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { REPORT_GROUPS } from "@/lib/metrics";
import { queryString } from "../api-client";

/** Download a summary report as CSV or JSON, grouped as chosen, over the page's window. */
export function ReportLinks({ from, queue }: { from: string; queue?: string }) {
  const t = useTranslations("metrics");
  const [groupBy, setGroupBy] = useState<(typeof REPORT_GROUPS)[number]>("queue");
  const href = (format: "csv" | "json") =>
    `/api/v1/reports${queryString({ group_by: groupBy, format, from })}`;
  return (
    <section aria-labelledby="reports-title" className="panel flex flex-wrap items-end gap-3 p-4">
      <h2 id="reports-title" className="w-full text-sm font-semibold">
        {t("reports")}
      </h2>
      <label className="flex flex-col gap-1">
        <span className="label">{t("groupBy")}</span>
        <select
          value={groupBy}
          onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}
          className="input w-40"
        >
          {REPORT_GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`groups.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <a href={href("csv")} download className="btn-primary" data-testid="report-csv">
        {t("csv")}
      </a>
      <a href={href("json")} download className="btn-secondary" data-testid="report-json">
        {t("json")}
      </a>
      {queue && <span className="muted text-xs">{t("reportsAllQueues")}</span>}
    </section>
  );
}
