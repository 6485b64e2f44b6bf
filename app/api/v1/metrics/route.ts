import { metrics } from "@/lib/api/routes/tracking";
import { collectMetrics } from "@/server/engine/tracking/metrics-collector";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/** The seven KPIs over [from, to) (default: the last 7 days), overall, per queue, per day. */
export const GET = handle(metrics, ({ app, query }) => collectMetrics(app.engine, query));
