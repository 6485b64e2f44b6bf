import { isStatementTimeout, QueryTimeoutError } from "../db/query-budget";
import { logger } from "../logger";
import { errorBody } from "./errors";

/** Seconds a client is told to wait before trying a timed-out read again. */
const RETRY_AFTER_S = 5;

/**
 * A statement cancelled by its timeout (query-budget.ts) is the database being slow, not a bug:
 * 503 QUERY_TIMEOUT with Retry-After, logged with the query's name. Null for any other error.
 */
export function queryTimeoutResponse(error: unknown): Response | null {
  if (!isStatementTimeout(error)) return null;
  const named = error instanceof QueryTimeoutError ? error : null;
  logger.warn(
    { query: named?.queryName ?? "unnamed", budgetMs: named?.budgetMs ?? null, err: named?.cause ?? error },
    "query timed out",
  );
  return Response.json(
    errorBody("QUERY_TIMEOUT", "The database took too long to answer; try again in a few seconds"),
    { status: 503, headers: { "retry-after": String(RETRY_AFTER_S) } },
  );
}
