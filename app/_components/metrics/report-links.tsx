"use client";

import { useState } from "react";
import { REPORT_GROUPS } from "@/lib/metrics";
import { queryString } from "../api-client";

/** Download a summary report as CSV or JSON, grouped as chosen, over the page's window. */
export function ReportLinks({ from, queue }: { from: string; queue?: string }) {
  const [groupBy, setGroupBy] = useState<string>("queue");
  const href = (format: "csv" | "json") =>
    `/api/v1/reports${queryString({ group_by: groupBy, format, from })}`;
  return (
    <section aria-labelledby="reports-title" className="panel flex flex-wrap items-end gap-3 p-4">
      <h2 id="reports-title" className="w-full text-sm font-semibold">
        Reports
      </h2>
      <label className="flex flex-col gap-1">
        <span className="label">Group by</span>
        <select value={groupBy} onChange={(e) => setGroupBy(e.target.value)} className="input w-40">
          {REPORT_GROUPS.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </label>
      <a href={href("csv")} download className="btn-primary" data-testid="report-csv">
        Download CSV
      </a>
      <a href={href("json")} download className="btn-secondary" data-testid="report-json">
        Download JSON
      </a>
      {queue && (
        <span className="muted text-xs">Reports cover every queue; group by queue to compare them.</span>
      )}
    </section>
  );
}
