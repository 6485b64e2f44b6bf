import { metrics } from "@/lib/api/routes/tracking";
import { forecastAccuracy } from "@/server/engine/forecast/forecast-record";
import { collectMetrics } from "@/server/engine/tracking/metrics-collector";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** The seven KPIs over [from, to) (default: the last 7 days), overall, per queue, per day. */
export const GET = handle(metrics, async ({ app, query }) => {
  const collected = await collectMetrics(app.engine, query);
  const window = { from: new Date(collected.window.from), to: new Date(collected.window.to) };
  return { ...collected, forecast: await forecastAccuracy(app.engine.prisma, window, query.queue) };
});
