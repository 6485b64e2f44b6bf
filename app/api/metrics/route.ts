import { prometheus } from "@/lib/api/routes/tracking";
import { checkScrapeToken, prometheusRegistry } from "@/server/engine/tracking/prometheus";
import { errorBody } from "@/server/http/errors";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint. Disabled (404) unless METRICS_TOKEN is set; then it needs
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise).
 */
export const GET = handle(prometheus, async ({ app, request }) => {
  const access = checkScrapeToken(request.headers.get("authorization"), process.env.METRICS_TOKEN);
  if (access === "disabled") {
    return Response.json(errorBody("NOT_FOUND", "The metrics endpoint is disabled: set METRICS_TOKEN"), {
      status: 404,
    });
  }
  if (access === "unauthorized") {
    return Response.json(errorBody("UNAUTHENTICATED", "Send Authorization: Bearer <METRICS_TOKEN>"), {
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
    });
  }
  const registry = prometheusRegistry(app.engine);
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
});
