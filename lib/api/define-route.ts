import type { z } from "zod";
import type { Permission } from "../permissions";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * One API route, declared once: the handler validates with these schemas and checks this
 * permission, the OpenAPI document is generated from them, and the permission and fuzz tests
 * walk the same list.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI style, e.g. /api/v1/tasks/{id}. */
  path: string;
  permission: Permission | "public";
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success body, for the OpenAPI document. */
  response?: z.ZodType;
  status?: number;
  /** Non-JSON success answers (CSV, Prometheus text). */
  produces?: string;
  /** Honours an Idempotency-Key header: a retry with the same key replays the first answer. */
  idempotent?: boolean;
}

export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

export type BodyOf<S extends RouteSpec> = S["body"] extends z.ZodType ? z.infer<S["body"]> : undefined;
export type QueryOf<S extends RouteSpec> = S["query"] extends z.ZodType ? z.infer<S["query"]> : undefined;
export type ParamsOf<S extends RouteSpec> = S["params"] extends z.ZodType ? z.infer<S["params"]> : undefined;
