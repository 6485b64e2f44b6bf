import type { BodyOf, ParamsOf, QueryOf, RouteSpec } from "@/lib/api/define-route";
import type { Locale } from "@/lib/i18n/locales";
import { queryObject } from "@/lib/query-string";
import type { AppContext } from "../app-context";
import type { Principal } from "../auth/principal";
import { asQueryTimeout, queryBudgets } from "../db/query-budget";
import { requestLocale } from "../i18n/request-locale";
import { apiRoute } from "./api-route";
import { withIdempotency } from "./idempotency";
import { parseInput, readJson } from "./read-json";
import { checkResponses, contractBreach } from "./response-contract";

export interface HandlerInput<S extends RouteSpec> {
  request: Request;
  app: AppContext;
  principal: Principal | null;
  body: BodyOf<S>;
  query: QueryOf<S>;
  params: ParamsOf<S>;
  /** The caller's language: their saved setting, else Accept-Language, else English. */
  locale: Locale;
}

/**
 * The route handler for a catalogue entry: authenticates and authorises (apiRoute), validates
 * params, query and body with the entry's schemas (400 naming the field), then runs `fn`.
 * A returned value is sent as JSON with the entry's status; a Response is sent as it is. An
 * `idempotent` entry honours Idempotency-Key (idempotency.ts).
 */
export function handle<S extends RouteSpec>(spec: S, fn: (input: HandlerInput<S>) => Promise<unknown>) {
  return apiRoute(
    async (request, { app, principal, params }) => {
      const bodyText =
        spec.idempotent && request.headers.has("idempotency-key") ? await request.clone().text() : "";
      const locale = requestLocale(request, principal);
      const input = {
        request,
        app,
        principal,
        locale,
        params: (spec.params ? parseInput(spec.params, params, locale) : undefined) as ParamsOf<S>,
        query: (spec.query
          ? parseInput(spec.query, queryObject(request.url), locale)
          : undefined) as QueryOf<S>,
        body: (spec.body ? await readJson(request, spec.body, locale) : undefined) as BodyOf<S>,
      };
      const respond = async (appForRun: AppContext): Promise<Response> => {
        const result = await fn({ ...input, app: appForRun }).catch((error: unknown) => {
          // A statement the pool's timeout cancelled is named by its route in the log.
          throw asQueryTimeout(error, `${spec.method} ${spec.path}`, queryBudgets().request);
        });
        if (result instanceof Response) return result;
        const breach = checkResponses() ? contractBreach(spec, result) : null;
        if (breach) return breach;
        return Response.json(result, { status: spec.status ?? 200 });
      };
      return spec.idempotent ? withIdempotency(request, app, principal, bodyText, respond) : respond(app);
    },
    { permission: spec.permission },
  );
}
