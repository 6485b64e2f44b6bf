import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, startServer } from "./server-process";

// The set-up of the API tests over real HTTP: a server of the describe block's own on a fresh
// database, started before its tests and stopped (its database dropped) after them.

export interface ServerOnDatabase {
  readonly db: TestDatabase;
  readonly server: RunningServer;
  /** An admin's request (JSON body when given): status, headers, the raw text and the JSON (null when not JSON). */
  call<T>(method: string, path: string, body?: unknown): Promise<AdminAnswer<T>>;
}

export interface AdminAnswer<T> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** Call inside a describe block; read `db` and `server` inside its tests (they exist from beforeAll on). */
export function serverOnDatabase(
  options: { poolSize?: number; env?: Record<string, string> } = {},
): ServerOnDatabase {
  let db: TestDatabase | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: options.poolSize ?? 2 });
    server = await startServer({ DATABASE_URL: db.url, ...options.env });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the test server is not started yet (use it inside a test)");
    return value;
  };
  return {
    get db() {
      return started(db);
    },
    get server() {
      return started(server);
    },
    async call<T>(method: string, path: string, body?: unknown): Promise<AdminAnswer<T>> {
      const response = await fetch(`${started(server).url}${path}`, {
        method,
        headers: body === undefined ? adminHeaders() : adminHeaders({ "content-type": "application/json" }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // CSV, or an empty answer.
      }
      return { status: response.status, headers: response.headers, text, body: json as T };
    },
  };
}
