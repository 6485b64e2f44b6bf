// What one NOTIFY per transaction costs at our commit rate: the same small transactions (one
// event-sized insert each, 10 connections) with and without a pg_notify, on the bench database.
import { performance } from "node:perf_hooks";
import pg from "pg";

export async function commitsPerSecond(url: string, transactions: number, notify: boolean): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await pool.query("CREATE TABLE IF NOT EXISTS bench_notify (id bigserial PRIMARY KEY, body text)");
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const client = await pool.connect();
        try {
          while (next++ < transactions) {
            await client.query(
              notify
                ? "WITH e AS (INSERT INTO bench_notify (body) VALUES ('x') RETURNING id) SELECT pg_notify('bench_notify', id::text) FROM e"
                : "INSERT INTO bench_notify (body) VALUES ('x')",
            );
          }
        } finally {
          client.release();
        }
      }),
    );
    return transactions / ((performance.now() - started) / 1_000);
  } finally {
    await pool.query("DROP TABLE IF EXISTS bench_notify");
    await pool.end();
  }
}
