// Starts the production server for Playwright on a fresh PostgreSQL database (dropped and
// recreated each run), so every e2e run starts from the same state.
import pg from "pg";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";

const name = process.env.E2E_DATABASE_NAME ?? "orch_e2e";
const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
await admin.end();

process.env.DATABASE_URL = databaseUrl(TEST_ADMIN_URL, name);
// What the browser gets is checked against the OpenAPI schemas too (server/http/response-contract.ts).
process.env.ORCHESTRATOR_CHECK_RESPONSES ??= "1";
await import("../server/main");
