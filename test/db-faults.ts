import pg from "pg";
import { TEST_ADMIN_URL } from "./config";

// Database faults injected from outside, as an operator's PostgreSQL would suffer them, on one
// test database only (the server is shared by every test file).

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Kills the backends sitting in LISTEN (the change channel's connections); returns how many. */
export const terminateListeners = (database: string) =>
  admin(async (client) => {
    const result = await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN %'`,
      [database],
    );
    return result.rowCount ?? 0;
  });

/** Kills every backend of the database (what a restart does to its clients); returns how many. */
export const terminateAllBackends = (database: string) =>
  admin(async (client) => {
    const result = await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return result.rowCount ?? 0;
  });

/** Refuses (false) or accepts again (true) new connections to the database: an outage. */
export const allowConnections = (database: string, allow: boolean) =>
  admin((client) =>
    client.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} ALLOW_CONNECTIONS ${allow}`),
  );

/** Counts the database's backends currently in LISTEN. */
export const listenerBackends = (database: string) =>
  admin(async (client) => {
    const result = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN %'`,
      [database],
    );
    return (result.rows[0] as { n: number }).n;
  });
