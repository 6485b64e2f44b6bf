import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../server/db/client";
import { databaseUrl, TEST_ADMIN_URL } from "./config";
import { waitFor } from "./wait-for";

export interface TestDatabase extends Database {
  url: string;
  name: string;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database cloned from the migrated template (fast: a file copy, no migrations to run). */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const template = inject("templateDatabase");
  const name = `orch_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(TEST_ADMIN_URL, name);
  const db = await openDatabase({ url, poolSize: options.poolSize ?? 5 });
  return {
    ...db,
    url,
    name,
    async drop() {
      await db.close();
      await withAdmin(async (admin) => {
        // pg-pool's end() resolves before its sockets have closed: wait until PostgreSQL sees
        // them gone, so FORCE does not kill a closing connection (an uncaught error in the
        // test). FORCE still ends whatever a test left open past the limit.
        await waitFor(
          `the connections to ${name} to close`,
          async () =>
            (await admin.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1", [name])).rowCount === 0,
          { timeoutMs: 5_000, intervalMs: 25 },
        ).catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}
