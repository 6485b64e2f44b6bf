// The engine-free migration applier, against the real PostgreSQL server and in-memory PGlite.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseUrl, TEST_ADMIN_URL } from "../../test/config.ts";
import { waitFor } from "../../test/wait-for.ts";
import { PGLITE_EXTENSIONS } from "./client";
import {
  applyPendingMigrations,
  defaultMigrationsDir,
  MIGRATION_ADVISORY_LOCK,
  MigrationError,
  migrationStatus,
  pgExecutor,
  pgliteExecutor,
  readLocalMigrations,
  type SqlExecutor,
} from "./migrations.ts";

const TIMEOUT = 60_000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Backend {
  db: SqlExecutor;
  /** Empties the database so each test starts from nothing. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function postgresBackend(): Promise<Backend & { url: string }> {
  const name = `mig_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = databaseUrl(TEST_ADMIN_URL, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    db: pgExecutor(client),
    async reset() {
      await client.query(
        "SELECT pg_advisory_unlock_all(); DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
      );
    },
    async close() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function pgliteBackend(): Promise<Backend> {
  // With the contrib extensions the project's migrations create (pg_trgm).
  const pglite = new PGlite({ extensions: PGLITE_EXTENSIONS });
  return {
    db: pgliteExecutor(pglite),
    async reset() {
      await pglite.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    },
    close: () => pglite.close(),
  };
}

/** A throw-away migrations folder in the OS temp dir; `files` maps folder name to SQL. */
async function tempMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mig-test-"));
  await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  tempDirs.push(dir);
  return dir;
}
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tableNames(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  finished: boolean;
  rolled_back: boolean;
  applied_steps_count: number;
}
const migrationRows = (db: SqlExecutor) =>
  db.query<Row>(
    `SELECT id, checksum, migration_name, logs, applied_steps_count,
            finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );

const backends: Array<[string, () => Promise<Backend>]> = [
  ["PostgreSQL", postgresBackend],
  ["PGlite", pgliteBackend],
];

describe.each(backends)("migrations on %s", (_label, open) => {
  let backend: Backend;
  let db: SqlExecutor;

  beforeAll(async () => {
    backend = await open();
    db = backend.db;
  }, TIMEOUT);
  afterAll(() => backend?.close(), TIMEOUT);
  beforeEach(() => backend.reset(), TIMEOUT);

  it(
    "applies the project's migrations once; a second run applies nothing",
    async () => {
      const local = await readLocalMigrations();
      expect(local.length).toBeGreaterThan(0);

      const first = await applyPendingMigrations(db);
      expect(first.applied).toEqual(local.map((m) => m.name));
      expect(await tableNames(db)).toEqual(expect.arrayContaining(["_prisma_migrations", "tasks", "queues"]));

      const second = await applyPendingMigrations(db);
      expect(second.applied).toEqual([]);

      const rows = await migrationRows(db);
      expect(rows).toHaveLength(local.length);
      for (const [i, row] of rows.entries()) {
        const file = await readFile(path.join(defaultMigrationsDir(), local[i]!.name, "migration.sql"));
        expect(row).toMatchObject({
          migration_name: local[i]!.name,
          checksum: createHash("sha256").update(file).digest("hex"),
          finished: true,
          rolled_back: false,
          logs: null,
          applied_steps_count: 1,
        });
        expect(row.id).toMatch(UUID_V4);
      }
    },
    TIMEOUT,
  );

  it(
    "status lists pending migrations, then applied ones",
    async () => {
      const names = (await readLocalMigrations()).map((m) => m.name);
      expect(await migrationStatus(db)).toEqual({
        applied: [],
        pending: names,
        failed: [],
        modified: [],
        missingLocally: [],
      });
      await applyPendingMigrations(db);
      expect(await migrationStatus(db)).toEqual({
        applied: names,
        pending: [],
        failed: [],
        modified: [],
        missingLocally: [],
      });
    },
    TIMEOUT,
  );

  it(
    "applies only the new folder when one is added later",
    async () => {
      const dir = await tempMigrations({ "20200101000000_a": "CREATE TABLE a (id int);" });
      expect((await applyPendingMigrations(db, dir)).applied).toEqual(["20200101000000_a"]);
      await mkdir(path.join(dir, "20200102000000_b"));
      await writeFile(path.join(dir, "20200102000000_b", "migration.sql"), "CREATE TABLE b (id int);");
      expect((await applyPendingMigrations(db, dir)).applied).toEqual(["20200102000000_b"]);
    },
    TIMEOUT,
  );

  it(
    "runs a script as one query: semicolons in comments and function bodies are fine",
    async () => {
      const dir = await tempMigrations({
        "20200101000000_fn": `-- a comment; with semicolons;
CREATE TABLE t (id int);
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.id := NEW.id + 1; -- still one statement
  RETURN NEW;
END $$;
CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();`,
      });
      await applyPendingMigrations(db, dir);
      await db.query("INSERT INTO t VALUES (1)");
      expect(await db.query("SELECT id FROM t")).toEqual([{ id: 2 }]);
    },
    TIMEOUT,
  );

  it(
    "records a failing migration, rolls its script back, and refuses later deploys",
    async () => {
      const dir = await tempMigrations({
        "20200101000000_ok": "CREATE TABLE ok (id int);",
        "20200102000000_bad": "CREATE TABLE half (id int);\nSELECT * FROM no_such_table;",
        "20200103000000_after": "CREATE TABLE after_bad (id int);",
      });
      const error = await applyPendingMigrations(db, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/20200102000000_bad.*no_such_table/s);

      const rows = await migrationRows(db);
      expect(rows.map((r) => [r.migration_name, r.finished])).toEqual([
        ["20200101000000_ok", true],
        ["20200102000000_bad", false],
      ]);
      expect(rows[1]).toMatchObject({ applied_steps_count: 0, rolled_back: false });
      expect(rows[1]?.logs).toMatch(/42P01[\s\S]*no_such_table/);
      // The failed script ran in a transaction: nothing of it stays behind.
      expect(await tableNames(db)).toEqual(["_prisma_migrations", "ok"]);

      expect(await migrationStatus(db, dir)).toMatchObject({
        applied: ["20200101000000_ok"],
        pending: ["20200103000000_after"],
        failed: ["20200102000000_bad"],
      });
      // Even after the script is fixed, the failed record blocks deploys until resolved...
      await writeFile(path.join(dir, "20200102000000_bad", "migration.sql"), "CREATE TABLE half (id int);");
      await expect(applyPendingMigrations(db, dir)).rejects.toThrow(
        /failed migrations[\s\S]*20200102000000_bad/,
      );
      expect(await tableNames(db)).not.toContain("after_bad");

      // ...and marking it rolled back (Prisma's `migrate resolve --rolled-back`) lets it retry.
      await db.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE finished_at IS NULL`);
      expect((await applyPendingMigrations(db, dir)).applied).toEqual([
        "20200102000000_bad",
        "20200103000000_after",
      ]);
      expect((await migrationStatus(db, dir)).failed).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "reports an applied migration whose file changed, and refuses to deploy",
    async () => {
      const dir = await tempMigrations({ "20200101000000_a": "CREATE TABLE a (id int);\n" });
      await applyPendingMigrations(db, dir);
      const file = path.join(dir, "20200101000000_a", "migration.sql");

      // Line endings converted by git are not an edit (Prisma accepts them too).
      await writeFile(file, "CREATE TABLE a (id int);\r\n");
      expect((await migrationStatus(db, dir)).modified).toEqual([]);

      await writeFile(file, "CREATE TABLE a (id bigint);\n");
      await mkdir(path.join(dir, "20200102000000_b"));
      await writeFile(path.join(dir, "20200102000000_b", "migration.sql"), "CREATE TABLE b (id int);");
      expect(await migrationStatus(db, dir)).toMatchObject({
        applied: ["20200101000000_a"],
        pending: ["20200102000000_b"],
        modified: ["20200101000000_a"],
      });
      await expect(applyPendingMigrations(db, dir)).rejects.toThrow(/edited.*20200101000000_a/);
      expect(await tableNames(db)).not.toContain("b");
    },
    TIMEOUT,
  );

  it(
    "lists migrations recorded in the database but absent from the folder",
    async () => {
      const dir = await tempMigrations({ "20200101000000_a": "CREATE TABLE a (id int);" });
      await applyPendingMigrations(db, dir);
      const other = await tempMigrations({});
      expect(await migrationStatus(db, other)).toMatchObject({
        applied: [],
        missingLocally: ["20200101000000_a"],
      });
    },
    TIMEOUT,
  );

  it(
    "refuses a non-empty schema that has no migration history",
    async () => {
      await db.exec("CREATE TABLE made_by_hand (id int)");
      await expect(applyPendingMigrations(db)).rejects.toThrow(/not empty/);
      expect(await tableNames(db)).toEqual(["made_by_hand"]);
    },
    TIMEOUT,
  );

  it(
    "refuses migrations written for another provider",
    async () => {
      const dir = await tempMigrations({ "20200101000000_a": "CREATE TABLE a (id int);" });
      await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "sqlite"\n');
      await expect(applyPendingMigrations(db, dir)).rejects.toThrow(/sqlite/);
    },
    TIMEOUT,
  );
});

describe("migrations on PostgreSQL, concurrency", () => {
  let backend: Backend & { url: string };
  beforeAll(async () => {
    backend = await postgresBackend();
  }, TIMEOUT);
  afterAll(() => backend?.close(), TIMEOUT);

  it(
    "waits for Prisma's advisory lock held by another session",
    async () => {
      await backend.reset(); // migrations to apply, whatever ran before
      const other = new pg.Client({ connectionString: backend.url });
      await other.connect();
      try {
        await other.query(`SELECT pg_advisory_lock(${MIGRATION_ADVISORY_LOCK})`);
        let done = false;
        const applying = applyPendingMigrations(backend.db).then((r) => {
          done = true;
          return r;
        });
        // PostgreSQL shows the deployer's session queued behind the lock: it waits, not fails.
        await waitFor("the deployer waiting on the advisory lock", async () => {
          const waiting = await other.query(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          );
          return (waiting.rowCount ?? 0) > 0;
        });
        expect(done).toBe(false);
        await other.query(`SELECT pg_advisory_unlock(${MIGRATION_ADVISORY_LOCK})`);
        expect((await applying).applied.length).toBeGreaterThan(0);
      } finally {
        await other.end();
      }
    },
    TIMEOUT,
  );

  it(
    "two deployers at once apply each migration exactly once",
    async () => {
      await backend.reset();
      const clients = [
        new pg.Client({ connectionString: backend.url }),
        new pg.Client({ connectionString: backend.url }),
      ];
      await Promise.all(clients.map((c) => c.connect()));
      try {
        const results = await Promise.all(clients.map((c) => applyPendingMigrations(pgExecutor(c))));
        const names = (await readLocalMigrations()).map((m) => m.name);
        expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
        expect(await migrationRows(backend.db)).toHaveLength(names.length);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    },
    TIMEOUT,
  );
});
