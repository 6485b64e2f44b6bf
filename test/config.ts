/**
 * Admin connection to the PostgreSQL server the tests use (each test file, and each e2e run,
 * gets its own database there): TEST_DATABASE_URL, else DATABASE_URL, else the local server.
 * Its database part only names where to connect to create and drop the test databases.
 */
export const TEST_ADMIN_URL =
  process.env.TEST_DATABASE_URL ||
  process.env.DATABASE_URL ||
  "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
