import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { type HealingListener, type ListenerState, startHealingListener } from "./healing-listener";
import { applyPendingMigrations, pgExecutor, pgliteExecutor } from "./migrations";

export type { PrismaClient } from "./generated/client";

export type Unlisten = () => Promise<void>;

export interface ListenOptions {
  /** Called when the LISTEN connection came back after a loss: notifications may have been missed. */
  onGap?: () => void;
}

/** The LISTEN connections' health: "down" while any of them is lost and reconnecting. */
export interface ListenerHealth {
  state: "up" | "down";
  listeners: ListenerState[];
}

/**
 * A statement straight through the driver (pg's pool, or PGlite), its rows as the driver gives
 * them: the hot path's one-statement calls skip Prisma's per-query cost (execution/hot-path.ts).
 * Values are sent as the driver's parameters; pass JSON as a string (`$1::jsonb`).
 */
export type SqlQuery = <T = Record<string, unknown>>(
  text: string,
  values?: readonly unknown[],
) => Promise<T[]>;

/** The database as the rest of the server sees it: one Prisma client, whichever engine is below. */
export interface Database {
  prisma: PrismaClient;
  /** The same database without Prisma, for the hot path (see SqlQuery). */
  sql: SqlQuery;
  kind: "postgres" | "pglite";
  /**
   * Subscribe to NOTIFY on a channel; the callback gets the payload. The connection behind it
   * heals by itself (healing-listener.ts) and `onGap` tells when notifications may have been lost.
   */
  listen(channel: string, onPayload: (payload: string) => void, options?: ListenOptions): Promise<Unlisten>;
  listenerHealth(): ListenerHealth;
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
  /** Where lost and healed LISTEN connections are reported. */
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
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
  // A connection attempt that hangs (a database host gone silent) fails after 15 s — as long as
  // a command may wait for a connection anyway (state/transaction.ts maxWait) — instead of
  // holding the request for ever: it answers 503 DATABASE_UNAVAILABLE (db/unavailable.ts).
  // JIT compilation off: it kicks in on a cost estimate, and the estimates of the engine's
  // per-row subqueries (the forecast's 10,000 live tasks, each checking its blockers) are far
  // above what they take: the forecast's read took 42 ms of compiling for 80 ms of work.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 15_000,
    options: "-c jit=off",
    ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
  });
  // An idle client whose connection drops (server restart, database dropped) emits here;
  // without a listener the process would crash. The next query reconnects.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listeners: HealingListener[] = [];

  return {
    prisma,
    sql: async <T>(text: string, values?: readonly unknown[]) =>
      (await pool.query(text, values as unknown[] | undefined)).rows as T[],
    kind: "postgres",
    async listen(channel, onPayload, listenOptions = {}) {
      // A dedicated connection: LISTEN is per session and a pooled client would lose it.
      const listener = await startHealingListener({
        url,
        channel,
        onPayload,
        onGap: listenOptions.onGap,
        onStateChange: (state, error) => {
          const message = error instanceof Error ? error.message : undefined;
          if (state.up)
            options.log?.info({ channel, reconnects: state.reconnects }, "LISTEN connection healed");
          else options.log?.warn({ channel, error: message }, "LISTEN connection lost; reconnecting");
        },
      });
      listeners.push(listener);
      return async () => {
        listeners.splice(listeners.indexOf(listener), 1);
        await listener.close();
      };
    },
    listenerHealth() {
      const states = listeners.map((l) => l.state());
      return { state: states.every((s) => s.up) ? "up" : "down", listeners: states };
    },
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
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
    sql: async <T>(text: string, values?: readonly unknown[]) =>
      (await pglite.query<T>(text, values as unknown[] | undefined)).rows,
    kind: "pglite",
    async listen(channel, onPayload) {
      const unsubscribe = await pglite.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    // In-process: PGlite's notifications cannot be lost.
    listenerHealth: () => ({ state: "up", listeners: [] }),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
