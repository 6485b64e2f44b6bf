import { z } from "zod";
import { auditQuery, metricsQuery, reportQuery } from "../../schemas/tracking";
import { defineRoute } from "../define-route";

// The tracking routes (issue #4): KPIs, reports, the audit log, the Prometheus scrape.

export const metrics = defineRoute({
  method: "GET",
  path: "/api/v1/metrics",
  permission: "metrics:read",
  summary:
    "The seven KPIs against their targets over [from, to) (default: the last 7 days), overall, per queue, per day",
  tag: "tracking",
  query: metricsQuery,
  response: z
    .object({
      window: z.object({ from: z.string(), to: z.string(), days: z.number() }),
      forecast: z
        .object({ median_abs_error_minutes: z.number().nullable(), samples: z.number().int() })
        .describe("The forecast checked against what happened: median |predicted − actual finish|"),
    })
    .loose(),
});

export const reports = defineRoute({
  method: "GET",
  path: "/api/v1/reports",
  permission: "reports:read",
  summary: "A summary grouped by day, week, queue, skill or client; format=csv downloads it as an attachment",
  tag: "tracking",
  query: reportQuery,
  response: z.object({ groupBy: z.string(), rows: z.array(z.object({}).loose()) }).loose(),
});

export const audit = defineRoute({
  method: "GET",
  path: "/api/v1/audit",
  permission: "audit:read",
  summary: "The audit log, newest first, by task, actor, action and time; cursor pagination",
  tag: "tracking",
  query: auditQuery,
  response: z.object({ entries: z.array(z.object({}).loose()), nextCursor: z.string().nullable() }),
});

export const prometheus = defineRoute({
  method: "GET",
  path: "/api/metrics",
  permission: "public",
  summary:
    "Prometheus exposition; 404 unless METRICS_TOKEN is set, then Authorization: Bearer <METRICS_TOKEN>",
  tag: "system",
  produces: "text/plain; version=0.0.4",
});
