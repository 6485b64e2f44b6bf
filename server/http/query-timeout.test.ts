import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../db/client";
import { isStatementTimeout, QueryTimeoutError } from "../db/query-budget";
import { boardSnapshot } from "../engine/presenters/board";
import { setupEngine } from "../engine/state/test-support";
import { collectMetrics } from "../engine/tracking/metrics-collector";
import { errorResponse } from "./api-route";

// A statement past its class's budget is cancelled by PostgreSQL and answered 503 QUERY_TIMEOUT,
// never 500. The slowness is made deterministic: another session holds an ACCESS EXCLUSIVE lock
// on `tasks`, so any read of it waits, and statement_timeout counts that wait.
process.env.ANALYTIC_STATEMENT_TIMEOUT_MS = "300";

const h = setupEngine();
let locker: pg.Client;

beforeAll(async () => {
  locker = new pg.Client({ connectionString: h.db.url });
  await locker.connect();
});

afterAll(async () => {
  await locker.end();
});

async function whileTasksLocked<T>(fn: () => Promise<T>): Promise<T> {
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE");
  try {
    return await fn();
  } finally {
    await locker.query("ROLLBACK");
  }
}

async function expect503(error: unknown) {
  const response = errorResponse(error);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  expect((await response.json()).error.code).toBe("QUERY_TIMEOUT");
}

describe("statement timeouts", () => {
  it("cancel an analytic read past its budget: QueryTimeoutError naming the query, 503", async () => {
    const error = await whileTasksLocked(() => collectMetrics(h.ctx, {}).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(error).toMatchObject({ queryName: "metrics", budgetMs: 300 });
    await expect503(error);
    // Once the database is quick again, the same read answers.
    expect((await collectMetrics(h.ctx, {})).overall.throughput.completed).toBe(0);
  });

  it("cancel any statement of a pool opened with a request budget: 503, not 500", async () => {
    const slowPool = await openDatabase({ url: h.db.url, poolSize: 1, statementTimeoutMs: 300 });
    try {
      const error = await whileTasksLocked(() =>
        boardSnapshot(slowPool.prisma, h.clock).catch((e: unknown) => e),
      );
      expect(isStatementTimeout(error)).toBe(true);
      await expect503(error);
    } finally {
      await slowPool.close();
    }
  });

  it("leave other errors alone", async () => {
    expect(errorResponse(new Error("a bug")).status).toBe(500);
  });
});
