import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { applyPendingMigrations, pgExecutor, pgliteExecutor } from "./migrations";

export type { PrismaClient } from "./generated/client";

export type Unlisten = () => Promise<void>;

/** The database as the rest of the server sees it: one Prisma client, whichever engine is below. */
export interface Database {
  prisma: PrismaClient;
  kind: "postgres" | "pglite";
  /** Subscribe to NOTIFY on a channel; the callback gets the payload. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL server URL; when absent, an embedded PGlite database is used. */
  url?: string;
  /** Where PGlite keeps its files; "memory://" keeps them in memory. */
  dataDir?: string;
  /** Apply pending migrations before returning (always done for PGlite: one process owns it). */
  migrate?: boolean;
  poolSize?: number;
  /** statement_timeout of every pooled connection (query-budget.ts, class "request"); none when absent. */
  statementTimeoutMs?: number;
}

export function defaultDataDir(): string {
  return process.env.ORCHESTRATOR_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite");
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir ?? defaultDataDir());
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  if (options.migrate) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await applyPendingMigrations(pgExecutor(client));
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
  });
  // An idle client whose connection drops (server restart, database dropped) emits here;
  // without a listener the process would crash. The next query reconnects.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listeners: pg.Client[] = [];

  return {
    prisma,
    kind: "postgres",
    async listen(channel, onPayload) {
      // A dedicated connection: LISTEN is per session and a pooled client would lose it.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      client.on("notification", (msg) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      });
      client.on("error", () => {
        /* surfaced by the health check; the server restarts the listener */
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => {})));
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/** Contrib extensions the migrations create (pg_trgm: the task search index), built for PGlite. */
export const PGLITE_EXTENSIONS = { pg_trgm };

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
  await applyPendingMigrations(pgliteExecutor(pglite));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });

  return {
    prisma,
    kind: "pglite",
    async listen(channel, onPayload) {
      const unsubscribe = await pglite.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
