// Applies the SQL migrations in prisma/migrations at start-up and in tests, without any Prisma
// engine (the native schema engine cannot be downloaded on our machines). It keeps Prisma's own
// bookkeeping format — the `_prisma_migrations` table, sha256 checksums, advisory lock
// 72707369 — so `prisma migrate deploy/status` on a machine with the native engine agree with it.
import { createHash, randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PGliteInterface } from "@electric-sql/pglite";
import type pg from "pg";

/** The least a database connection must offer; one connection, so the lock and BEGIN hold. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script as ONE simple query (semicolons in bodies stay intact). */
  exec(sql: string): Promise<void>;
}

export interface LocalMigration {
  /** Folder name, e.g. `20250101120000_init`; the sort key and the `migration_name`. */
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  /** Finished and not rolled back, in folder order. */
  applied: string[];
  /** In the folder, never applied (or only rolled back). */
  pending: string[];
  /** Started but never finished and not marked rolled back: deploys refuse until resolved. */
  failed: string[];
  /** Applied, but migration.sql changed since: deploys refuse. */
  modified: string[];
  /** Recorded as applied in the database but absent from the folder (another branch?). */
  missingLocally: string[];
}

/** Prisma's lock key (see prisma-engines' postgres connector); shared with the native CLI. */
export const MIGRATION_ADVISORY_LOCK = 72707369;

export const defaultMigrationsDir = (): string => path.resolve(process.cwd(), "prisma/migrations");

/** Same DDL as prisma-engines' `create_migrations_table`, so the native CLI reads our rows. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/** Prisma also accepts a checksum taken before git converted line endings (LF <-> CRLF). */
function checksumMatches(sql: string, recorded: string): boolean {
  return [sql, sql.replaceAll("\r\n", "\n"), sql.replaceAll(/\r?\n/g, "\r\n")].some(
    (variant) => checksumOf(variant) === recorded,
  );
}

/** Reads `<dir>/<name>/migration.sql` sorted by folder name (Prisma's order). A missing dir = none. */
export async function readLocalMigrations(dir: string = defaultMigrationsDir()): Promise<LocalMigration[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const names = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    // Byte order, not locale order: the timestamp prefix must decide.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      let sql: string;
      try {
        sql = await readFile(file, "utf8");
      } catch (error) {
        throw new MigrationError(`Migration folder ${name} has no readable migration.sql (${file})`, {
          cause: error,
        });
      }
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

/** Content of migration_lock.toml, or null when absent. */
export async function readMigrationLock(dir: string = defaultMigrationsDir()): Promise<string | null> {
  try {
    return await readFile(path.join(dir, "migration_lock.toml"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Prisma refuses migrations written for another provider (P3019); so do we. */
async function assertPostgresLock(dir: string): Promise<void> {
  const lock = await readMigrationLock(dir);
  const provider = lock?.match(/^\s*provider\s*=\s*"([^"]*)"/m)?.[1];
  if (provider !== undefined && provider !== "postgresql") {
    throw new MigrationError(
      `${path.join(dir, "migration_lock.toml")} says provider "${provider}", but this database is PostgreSQL.`,
    );
  }
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  finished: boolean;
  rolled_back: boolean;
  started_at: string;
}

async function migrationsTableExists(db: SqlExecutor): Promise<boolean> {
  const [row] = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`,
  );
  return row?.exists === true;
}

async function readMigrationRows(db: SqlExecutor): Promise<MigrationRow[]> {
  if (!(await migrationsTableExists(db))) return [];
  // Timestamps as text and flags as booleans: identical results from pg and PGlite.
  return db.query<MigrationRow>(
    `SELECT id, checksum, migration_name, logs,
            finished_at IS NOT NULL AS finished,
            rolled_back_at IS NOT NULL AS rolled_back,
            started_at::text AS started_at
       FROM "_prisma_migrations"
      ORDER BY started_at, migration_name`,
  );
}

function computeStatus(local: LocalMigration[], rows: MigrationRow[]): MigrationStatus {
  const live = rows.filter((r) => !r.rolled_back);
  const finished = new Map(live.filter((r) => r.finished).map((r) => [r.migration_name, r]));
  const localNames = new Set(local.map((m) => m.name));
  const status: MigrationStatus = { applied: [], pending: [], failed: [], modified: [], missingLocally: [] };
  for (const m of local) {
    const row = finished.get(m.name);
    if (!row) {
      if (!live.some((r) => r.migration_name === m.name)) status.pending.push(m.name);
      continue;
    }
    status.applied.push(m.name);
    if (!checksumMatches(m.sql, row.checksum)) status.modified.push(m.name);
  }
  status.failed = live.filter((r) => !r.finished).map((r) => r.migration_name);
  status.missingLocally = [...finished.keys()].filter((name) => !localNames.has(name));
  return status;
}

/** Where the database stands relative to the migrations folder. Reads only; takes no lock. */
export async function migrationStatus(
  db: SqlExecutor,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<MigrationStatus> {
  await assertPostgresLock(migrationsDir);
  return computeStatus(await readLocalMigrations(migrationsDir), await readMigrationRows(db));
}

/**
 * Like Prisma's P3005: a schema that has tables but no migration history was built some other
 * way (db push, by hand); replaying `init` over it would fail half-way, so refuse up front.
 */
async function assertEmptyOrMigrated(db: SqlExecutor): Promise<void> {
  if (await migrationsTableExists(db)) return;
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
  );
  if ((row?.n ?? 0) > 0) {
    throw new MigrationError(
      "The database schema is not empty but has no _prisma_migrations table (like Prisma's P3005). " +
        "Baseline it (mark the migrations it already has as applied) or use an empty database.",
    );
  }
}

function refuseUnsafeHistory(status: MigrationStatus, rows: MigrationRow[]): void {
  if (status.failed.length > 0) {
    const details = rows
      .filter((r) => !r.finished && !r.rolled_back)
      .map((r) => {
        const logs = r.logs?.trim() ? ` with the following logs:\n${r.logs.trim()}` : "";
        return `The \`${r.migration_name}\` migration started at ${r.started_at} failed${logs}`;
      })
      .join("\n");
    throw new MigrationError(
      `Found failed migrations in the target database; new migrations will not be applied (like Prisma's P3009).\n${details}\n` +
        "Fix the database by hand, then set rolled_back_at on the failed row to retry it, or finished_at if the fix completed it.",
    );
  }
  if (status.modified.length > 0) {
    throw new MigrationError(
      `These applied migrations were edited after they were applied (checksum mismatch): ${status.modified.join(", ")}. ` +
        "Restore their migration.sql; put new changes in a new migration.",
    );
  }
}

/** Prisma-like log text, kept in `_prisma_migrations.logs` for whoever repairs the database. */
function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; position?: unknown; detail?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  const parts = [
    typeof e?.code === "string" ? `Database error code: ${e.code}` : undefined,
    `Database error:\n${message}`,
    typeof e?.detail === "string" ? `DETAIL: ${e.detail}` : undefined,
    e?.position !== undefined ? `Position: ${String(e.position)}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join("\n\n");
}

async function applyOne(db: SqlExecutor, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  // The "started" row commits on its own: if the script fails, the row (finished_at NULL,
  // logs set) is what makes later deploys refuse, exactly as with the native engine.
  await db.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    await db.query("BEGIN");
    await db.exec(migration.sql);
    await db.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await db.query("COMMIT");
  } catch (error) {
    // Best effort: if the connection itself died, the original error is the one worth reporting
    // (the row still has finished_at NULL, so deploys refuse either way).
    await db.query("ROLLBACK").catch(() => undefined);
    await db
      .query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, describeFailure(error)])
      .catch(() => undefined);
    throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
}

/**
 * Applies every pending migration in folder order under Prisma's advisory lock, so concurrent
 * starters queue up instead of racing. Refuses while a failed or edited migration exists.
 */
export async function applyPendingMigrations(
  db: SqlExecutor,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<{ applied: string[] }> {
  await assertPostgresLock(migrationsDir);
  const local = await readLocalMigrations(migrationsDir);
  await db.query(`SELECT pg_advisory_lock(${MIGRATION_ADVISORY_LOCK})`);
  try {
    // Everything below is read after taking the lock: another process may just have migrated.
    await assertEmptyOrMigrated(db);
    await db.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await readMigrationRows(db);
    const status = computeStatus(local, rows);
    refuseUnsafeHistory(status, rows);
    const pending = new Set(status.pending);
    const applied: string[] = [];
    for (const migration of local.filter((m) => pending.has(m.name))) {
      await applyOne(db, migration);
      applied.push(migration.name);
    }
    return { applied };
  } finally {
    // A failure here must not hide the real error; the lock dies with the session anyway.
    await db.query(`SELECT pg_advisory_unlock(${MIGRATION_ADVISORY_LOCK})`).catch(() => undefined);
  }
}

/** Executor over one pg connection (not a Pool: the lock and BEGIN must stay on one session). */
export function pgExecutor(client: pg.Client | pg.PoolClient): SqlExecutor {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      // No parameters => pg uses the simple query protocol, which accepts many statements.
      await client.query(sql);
    },
  };
}

/** Executor over PGlite, one connection by nature (not a PGlite transaction: we issue BEGIN). */
export function pgliteExecutor(db: Pick<PGliteInterface, "query" | "exec">): SqlExecutor {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}
