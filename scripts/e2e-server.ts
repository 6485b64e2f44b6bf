// Starts the production server for Playwright on a fresh PostgreSQL database (dropped and
// recreated each run), so every e2e run starts from the same state. The database is
// E2E_DATABASE_NAME (playwright.config.ts names it after its own process unless given), so two
// runs on one machine each have their own.
import pg from "pg";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";

const name = process.env.E2E_DATABASE_NAME ?? `orch_e2e_run_${process.ppid}`;
const RUN_DATABASE = /^orch_e2e_run_(\d+)$/;

/** Whether process `pid` still runs on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
await admin.connect();
// Databases of earlier runs whose Playwright process is gone (a live run's is left alone).
const { rows } = await admin.query<{ datname: string }>(
  "SELECT datname FROM pg_database WHERE datname LIKE 'orch\\_e2e\\_run\\_%'",
);
for (const { datname } of rows) {
  const pid = Number(RUN_DATABASE.exec(datname)?.[1]);
  if (datname !== name && pid && !alive(pid))
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
}
await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
await admin.end();

process.env.DATABASE_URL = databaseUrl(TEST_ADMIN_URL, name);
// What the browser gets is checked against the OpenAPI schemas too (server/http/response-contract.ts).
process.env.ORCHESTRATOR_CHECK_RESPONSES ??= "1";
await import("../server/main");
