import { reports } from "@/lib/api/routes/tracking";
import { generateReport, reportFilename, reportToCsv } from "@/server/engine/tracking/report-generator";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** A summary grouped by day, week, queue, skill or client; `format=csv` downloads it. */
export const GET = handle(reports, async ({ app, query }) => {
  const report = await generateReport(app.engine, {
    from: query.from,
    to: query.to,
    groupBy: query.group_by,
  });
  if (query.format === "json") return report;
  return new Response(reportToCsv(report, { bom: true }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${reportFilename(report, "csv")}"`,
      "Cache-Control": "no-store",
    },
  });
});
