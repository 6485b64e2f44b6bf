import { z } from "zod";

// Statement timeouts per request class, so a slow query answers 503 QUERY_TIMEOUT (and is logged
// with its name) instead of holding a connection or ending in a 500 (docs/scale.md):
// - request: every statement of a pooled connection (set on the pool: dashboard reads, commands,
//   engine loops), STATEMENT_TIMEOUT_MS;
// - analytic: the metrics and report reads (SET LOCAL in their transaction),
//   ANALYTIC_STATEMENT_TIMEOUT_MS. Their Prisma transaction gets the same budget plus a margin,
//   so Prisma's own 5 s default never refuses the commit of a query that finished.

export type QueryClass = "request" | "analytic";

const ms = (fallback: number) => z.coerce.number().int().min(100).max(600_000).default(fallback);
const schema = z.object({
  STATEMENT_TIMEOUT_MS: ms(15_000),
  ANALYTIC_STATEMENT_TIMEOUT_MS: ms(30_000),
});

let budgets: Record<QueryClass, number> | undefined;

/** The budget of each class, from the environment (read once; a bad value names its variable). */
export function queryBudgets(env: NodeJS.ProcessEnv = process.env): Record<QueryClass, number> {
  if (budgets && env === process.env) return budgets;
  const parsed = schema.safeParse({
    STATEMENT_TIMEOUT_MS: env.STATEMENT_TIMEOUT_MS || undefined,
    ANALYTIC_STATEMENT_TIMEOUT_MS: env.ANALYTIC_STATEMENT_TIMEOUT_MS || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const result = {
    request: parsed.data.STATEMENT_TIMEOUT_MS,
    analytic: parsed.data.ANALYTIC_STATEMENT_TIMEOUT_MS,
  };
  if (env === process.env) budgets = result;
  return result;
}

/** A statement ran past its class's budget and PostgreSQL cancelled it. */
export class QueryTimeoutError extends Error {
  readonly code = "QUERY_TIMEOUT";
  constructor(
    /** The query (or the route) that ran too long, for the log. */
    readonly queryName: string,
    readonly budgetMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(`The database took too long to answer ${queryName}`, options);
  }
}

/** PostgreSQL's query_canceled (statement_timeout), however deep the drivers wrapped it. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (e instanceof QueryTimeoutError) return true;
    const o = e as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown };
    if (o.code === "57014" || o.originalCode === "57014") return true;
    if (typeof o.message === "string" && o.message.includes("canceling statement due to statement timeout")) {
      return true;
    }
    e = o.cause;
  }
  return false;
}

/** The error to throw for a timed-out statement: named, keeping the cause. */
export function asQueryTimeout(error: unknown, queryName: string, budgetMs: number | null): unknown {
  if (error instanceof QueryTimeoutError || !isStatementTimeout(error)) return error;
  return new QueryTimeoutError(queryName, budgetMs, { cause: error });
}
