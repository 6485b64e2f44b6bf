import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import type { RouteSpec } from "@/lib/api/define-route";
import { logger } from "../logger";
import { errorBody } from "./errors";

/**
 * Whether a handler's answer is exactly what the OpenAPI document promises: it parses with the
 * route's response schema, and parsing drops nothing (zod strips keys it does not know, so an
 * undocumented field shows up as a difference). Turned on by ORCHESTRATOR_CHECK_RESPONSES=1 in
 * the test servers, so every HTTP and browser test doubles as a contract test; off in production,
 * where it would cost a parse per response.
 */
export function responseContractViolation(schema: z.ZodType, result: unknown): string | null {
  const sent: unknown = JSON.parse(JSON.stringify(result));
  const parsed = schema.safeParse(sent);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  }
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), sent)) {
    return `fields not in the schema: ${undocumentedPaths(sent, parsed.data).slice(0, 10).join(", ")}`;
  }
  return null;
}

export const checkResponses = () => process.env.ORCHESTRATOR_CHECK_RESPONSES === "1";

/** The 500 a route's answer earns when it breaks its documented schema, else null. */
export function contractBreach(spec: RouteSpec, result: unknown): Response | null {
  const violation = spec.response ? responseContractViolation(spec.response, result) : null;
  if (!violation) return null;
  const route = `${spec.method} ${spec.path}`;
  logger.error({ route, violation }, "response breaks its contract");
  return Response.json(errorBody("RESPONSE_CONTRACT", `${route}: ${violation}`), { status: 500 });
}

function undocumentedPaths(sent: unknown, kept: unknown, path = ""): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) {
    return sent.flatMap((item, i) => undocumentedPaths(item, kept[i], `${path}[${i}]`));
  }
  if (sent && typeof sent === "object" && kept && typeof kept === "object") {
    return Object.entries(sent).flatMap(([key, value]) =>
      key in kept
        ? undocumentedPaths(value, (kept as Record<string, unknown>)[key], path ? `${path}.${key}` : key)
        : [path ? `${path}.${key}` : key],
    );
  }
  return isDeepStrictEqual(sent, kept) ? [] : [path || "(root)"];
}
