import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";

// Catalogue params and query schemas are z.object(...) by convention; the library types that.
type RouteParameter = NonNullable<RouteConfig["request"]>["params"];

import { z } from "zod";
import { API_ROUTES } from "@/lib/api/catalogue";
import type { RouteSpec } from "@/lib/api/define-route";

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

const ERROR_STATUSES: Record<number, string> = {
  400: "Invalid input; `fields` names each bad field",
  401: "Not authenticated",
  403: "Not allowed (permission, or CSRF origin check)",
  404: "Not found",
  409: "Conflict: stale version (with the current task), illegal transition, dependency conflict",
  413: "Body too large",
  415: "Body is not application/json",
  405: "Method not supported (TRACE and other unknown methods); see Allow",
  422: "Idempotency-Key reused with a different request",
  429: "Rate limited; see Retry-After",
  503: "DATABASE_UNAVAILABLE: the database is out of reach, nothing was applied; QUERY_TIMEOUT: the database took too long. Retry after Retry-After (with the same Idempotency-Key)",
};

function errorResponses(route: RouteSpec) {
  const statuses = [400, 405, 429, 503];
  if (route.permission !== "public") statuses.push(401, 403);
  if (route.params) statuses.push(404);
  if (route.body) statuses.push(409, 413, 415);
  if (route.idempotent) statuses.push(409, 422);
  return Object.fromEntries(
    [...new Set(statuses)]
      .sort()
      .map((s) => [
        s,
        { description: ERROR_STATUSES[s]!, content: { "application/json": { schema: errorSchema } } },
      ]),
  );
}

const idempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\w.:-]{1,200}$/)
    .optional()
    .describe(
      "Makes the request safe to retry: a retry with the same key (same caller, same request) answers the first answer again with `Idempotent-Replayed: true`, and applies nothing twice. 409 IDEMPOTENCY_IN_PROGRESS while the first is running; 422 when reused with another request. Stored in PostgreSQL: holds across instances.",
    ),
});

function toConfig(route: RouteSpec): RouteConfig {
  const status = route.status ?? 200;
  const success =
    status === 204
      ? { description: "Done" }
      : route.produces
        ? { description: "OK", content: { [route.produces]: { schema: z.string() } } }
        : {
            description: "OK",
            content: { "application/json": { schema: route.response ?? z.record(z.string(), z.unknown()) } },
          };
  return {
    method: route.method.toLowerCase() as RouteConfig["method"],
    path: route.path,
    summary: route.summary,
    tags: [route.tag],
    description: `${
      route.permission === "public"
        ? "No authentication."
        : `Requires the \`${route.permission}\` permission.`
    }${route.idempotent ? " Idempotent with an Idempotency-Key header." : ""}`,
    security: route.permission === "public" ? [] : [{ bearer: [] }, { session: [] }],
    request: {
      params: route.params as RouteParameter,
      query: route.query as RouteParameter,
      headers: route.idempotent ? idempotencyHeader : undefined,
      body: route.body
        ? { content: { "application/json": { schema: route.body } }, required: true }
        : undefined,
    },
    responses: { [status]: success, ...errorResponses(route) },
  };
}

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

/** The OpenAPI 3.1 document, generated from the route catalogue's zod schemas (one source). */
export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (tok_…), the wall token, or ORCHESTRATOR_ADMIN_TOKEN",
  });
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "orch_session",
  });
  for (const route of API_ROUTES) registry.registerPath(toConfig(route));
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Task Orchestrator API",
      version: "1.0.0",
      description:
        "Tasks in the seed's standard format, queues, escalations, workers and intake. Errors are `{error: {code, message, fields}}`.",
    },
    servers: [{ url: "/" }],
  });
  return cached;
}
