import { z } from "zod";
import { defineRoute } from "../define-route";

export const health = defineRoute({
  method: "GET",
  path: "/api/health",
  permission: "public",
  summary:
    "Liveness and database check: 503 when the database does not answer; status `degraded` while the change listener (LISTEN) is reconnecting",
  tag: "system",
  response: z.object({
    status: z.enum(["ok", "degraded", "unavailable"]),
    database: z.string(),
    /** The LISTEN connection that carries live changes and wakes the dispatcher. */
    listener: z.enum(["up", "down"]).optional(),
    uptime_s: z.number().optional(),
  }),
});

export const openapi = defineRoute({
  method: "GET",
  path: "/api/v1/openapi.json",
  permission: "public",
  summary: "This API's OpenAPI 3.1 document",
  tag: "system",
});
