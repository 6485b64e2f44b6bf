import type { FieldError } from "@/lib/field-error";
import type { Locale } from "@/lib/i18n/locales";
import type { Permission } from "@/lib/permissions";
import { type AppContext, getAppContext } from "../app-context";
import type { Principal } from "../auth/principal";
import { rateLimiters } from "../auth/rate-limit";
import { DATABASE_RETRY_AFTER_S, isDatabaseUnavailable } from "../db/unavailable";
import type { Actor } from "../engine/context";
import { isDomainError } from "../engine/errors";
import { localizeMessage } from "../i18n/localize-message";
import { requestLocale } from "../i18n/request-locale";
import { logger } from "../logger";
import { authenticate } from "./authenticate";
import { assertSameOrigin } from "./csrf";
import { errorBody, HttpError, STATUS_BY_CODE } from "./errors";
import { queryTimeoutResponse } from "./query-timeout";

type RouteParams = Record<string, string | string[] | undefined>;

export interface RouteContext<P extends RouteParams> {
  app: AppContext;
  params: P;
  /** The authenticated caller; null only on public routes. */
  principal: Principal | null;
}

export interface RouteOptions {
  /**
   * What the caller must hold. "public" routes need no authentication. Left out, the route is
   * admin-only: a forgotten declaration fails closed.
   */
  permission?: Permission | "public";
}

type Handler<P extends RouteParams> = (request: Request, context: RouteContext<P>) => Promise<Response>;

/**
 * Wraps a route handler: authenticates (bearer token or session cookie), checks CSRF for
 * cookie writes, the permission and the rate limit, gives it the app context, and turns every
 * error a client can cause into a 4xx `{error: {code, message, fields}}`. Only a bug is a 500.
 */
export function apiRoute<P extends RouteParams = RouteParams>(
  handler: Handler<P>,
  options: RouteOptions = {},
) {
  const permission = options.permission ?? "users:manage";
  return async (request: Request, next: { params: Promise<P> }): Promise<Response> => {
    let principal: Principal | null = null;
    try {
      const app = getAppContext();
      if (permission !== "public") {
        principal = await authenticate(app, request);
        if (!principal) throw new HttpError(401, "UNAUTHENTICATED", "Log in or send a valid bearer token");
        if (principal.via === "cookie") assertSameOrigin(request);
        if (!principal.permissions.has(permission)) {
          throw new HttpError(403, "FORBIDDEN", `This needs the ${permission} permission`);
        }
        const wait = rateLimiters().api.hit(`${principal.kind}:${principal.id}`);
        if (wait > 0) return rateLimited(wait, requestLocale(request, principal));
      }
      return await handler(request, { app, params: await next.params, principal });
    } catch (error) {
      return errorResponse(error, requestLocale(request, principal));
    }
  };
}

/** The database is out of reach: nothing was done (or it was rolled back); try again later. */
export function databaseUnavailable(locale: Locale = "en"): Response {
  const message = localizeMessage(
    `The database is unavailable; retry in ${DATABASE_RETRY_AFTER_S} s`,
    locale,
  );
  return Response.json(errorBody("DATABASE_UNAVAILABLE", message), {
    status: 503,
    headers: { "retry-after": String(DATABASE_RETRY_AFTER_S) },
  });
}

export function rateLimited(retryAfterSeconds: number, locale: Locale = "en"): Response {
  const message = localizeMessage(`Too many requests; retry in ${retryAfterSeconds} s`, locale);
  return Response.json(errorBody("RATE_LIMITED", message), {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
  });
}

/** The engine records who acted; read-only callers have no actor and cannot reach writes. */
export function requireActor(principal: Principal | null): Actor {
  if (!principal?.actor) throw new HttpError(403, "FORBIDDEN", "This caller may not change anything");
  return principal.actor;
}

/**
 * The error a caller can cause as its 4xx body, in the caller's language (`locale`): the message
 * and every field's message go through localizeMessage; a validation message is rebuilt from its
 * localized fields.
 */
export function errorResponse(error: unknown, locale: Locale = "en"): Response {
  const say = (message: string) => localizeMessage(message, locale);
  const localized = (code: string, message: string, given: FieldError[]) => {
    const fields = given.map((f) => ({ path: f.path, message: say(f.message) }));
    const text =
      code === "VALIDATION" && fields.length > 0
        ? fields.map((f) => `${f.path}: ${f.message}`).join("; ")
        : say(message);
    return { text, fields };
  };
  if (error instanceof HttpError) {
    const { text, fields } = localized(error.code, error.message, error.fields);
    return Response.json(errorBody(error.code, text, fields), { status: error.status });
  }
  if (isDomainError(error)) {
    const { fields: given = [], ...extra } = error.details;
    const { text, fields } = localized(error.code, error.message, given);
    return Response.json(errorBody(error.code, text, fields, extra), {
      status: STATUS_BY_CODE[error.code],
    });
  }
  const timedOut = queryTimeoutResponse(error);
  if (timedOut) return timedOut;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(locale);
  logger.error({ err: error }, "unhandled error in route");
  return Response.json(errorBody("INTERNAL", say("Internal error")), { status: 500 });
}
