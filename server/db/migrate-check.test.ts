// The WASM schema engine: drift detection between schema.prisma and the migrations folder, the
// adapter fixes it depends on, and Prisma's own view of the history our applier writes.
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, TEST_ADMIN_URL } from "../../test/config.ts";
import { applyPendingMigrations, defaultMigrationsDir, pgExecutor } from "./migrations.ts";
import {
  createSchemaEngine,
  diffMigrationsToSchema,
  postgresEngineAdapterFactory,
  readMigrationList,
} from "./schema-engine.ts";

// The first call compiles a 5 MB WASM module.
const TIMEOUT = 60_000;
const NO_FILTERS = { externalTables: [], externalEnums: [] };

const realSchemaPath = path.resolve("prisma/schema.prisma");
let realSchema: string;
let tmp: string;

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  realSchema = await readFile(realSchemaPath, "utf8");
  tmp = await mkdtemp(path.join(os.tmpdir(), "mig-check-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("diffMigrationsToSchema", () => {
  it(
    "finds no drift between the real schema and the real migrations",
    async () => {
      expect(await diffMigrationsToSchema(TEST_ADMIN_URL)).toBe("");
    },
    TIMEOUT,
  );

  it(
    "reports the SQL for a schema that differs (given as content)",
    async () => {
      const modified = realSchema.replace(/(model Queue \{\n)/, "$1  color String?\n");
      expect(modified).not.toBe(realSchema);
      const sql = await diffMigrationsToSchema(TEST_ADMIN_URL, { schemaContent: modified });
      expect(sql).toMatch(/ALTER TABLE "queues" ADD COLUMN\s+"color" TEXT;/);
    },
    TIMEOUT,
  );

  it(
    "reports the SQL for a schema that differs (given as a file)",
    async () => {
      const file = path.join(tmp, "schema.prisma");
      await writeFile(file, `${realSchema}\nmodel Tag {\n  name String @id\n\n  @@map("tags")\n}\n`);
      const sql = await diffMigrationsToSchema(TEST_ADMIN_URL, { schemaPath: file });
      expect(sql).toMatch(/CREATE TABLE "tags"/);
    },
    TIMEOUT,
  );

  it(
    "gives the whole schema when there are no migrations yet",
    async () => {
      const empty = path.join(tmp, "no-migrations");
      await mkdir(empty);
      const sql = await diffMigrationsToSchema(TEST_ADMIN_URL, { migrationsDir: empty });
      expect(sql).toMatch(/CREATE TYPE "TaskState"/);
      expect(sql).toMatch(/CREATE TABLE "tasks"/);
    },
    TIMEOUT,
  );

  it(
    "replays scripts whole (semicolons in comments and function bodies) and ignores what Prisma does not model",
    async () => {
      const dir = path.join(tmp, "with-function");
      await cp(defaultMigrationsDir(), dir, { recursive: true });
      await mkdir(path.join(dir, "29990101000000_function"));
      await writeFile(
        path.join(dir, "29990101000000_function", "migration.sql"),
        `-- touch updated_at; Prisma does not model functions;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;`,
      );
      expect(await diffMigrationsToSchema(TEST_ADMIN_URL, { migrationsDir: dir })).toBe("");
    },
    TIMEOUT,
  );

  it(
    "reports a migration that fails to replay",
    async () => {
      const dir = path.join(tmp, "broken");
      await cp(defaultMigrationsDir(), dir, { recursive: true });
      await mkdir(path.join(dir, "29990101000000_broken"));
      await writeFile(
        path.join(dir, "29990101000000_broken", "migration.sql"),
        "ALTER TABLE nope ADD x int;",
      );
      await expect(diffMigrationsToSchema(TEST_ADMIN_URL, { migrationsDir: dir })).rejects.toThrow(
        /29990101000000_broken[\s\S]*nope/,
      );
    },
    TIMEOUT,
  );
});

describe("postgresEngineAdapterFactory", () => {
  it(
    "gives the engine a separate shadow database and drops it on dispose",
    async () => {
      const factory = postgresEngineAdapterFactory(TEST_ADMIN_URL);
      try {
        const shadow = await factory.connectToShadowDb();
        const [name] = (await shadow.queryRaw({ sql: "SELECT current_database()", args: [], argTypes: [] }))
          .rows[0] as [string];
        expect(name).toMatch(/^prisma_shadow_/);
        expect(await databaseExists(name)).toBe(true);
        await shadow.dispose();
        expect(await databaseExists(name)).toBe(false);
      } finally {
        await factory.close();
      }
    },
    TIMEOUT,
  );

  it(
    "drops shadow databases the engine left open when closed",
    async () => {
      const factory = postgresEngineAdapterFactory(TEST_ADMIN_URL);
      const shadow = await factory.connectToShadowDb();
      const [name] = (await shadow.queryRaw({ sql: "SELECT current_database()", args: [], argTypes: [] }))
        .rows[0] as [string];
      await factory.close();
      expect(await databaseExists(name)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'reads "char" columns as text and runs a script as one query',
    async () => {
      const factory = postgresEngineAdapterFactory(TEST_ADMIN_URL);
      try {
        const shadow = await factory.connectToShadowDb();
        await shadow.executeScript(
          "CREATE TABLE t (id int); -- a comment; with semicolons\nCREATE FUNCTION one() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;",
        );
        const result = await shadow.queryRaw({
          sql: "SELECT relkind FROM pg_class WHERE relname = 't'",
          args: [],
          argTypes: [],
        });
        expect(result.rows).toEqual([["r"]]);
      } finally {
        await factory.close();
      }
    },
    TIMEOUT,
  );
});

describe("Prisma's engine reads the history our applier writes", () => {
  const name = `mig_${randomBytes(6).toString("hex")}`;
  const url = databaseUrl(TEST_ADMIN_URL, name);
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  }, TIMEOUT);
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }, TIMEOUT);

  it(
    "diagnoseMigrationHistory agrees: nothing edited, nothing failed, nothing behind",
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await applyPendingMigrations(pgExecutor(client));
      } finally {
        await client.end();
      }
      const factory = postgresEngineAdapterFactory(url);
      const engine = await createSchemaEngine({ path: realSchemaPath, content: realSchema }, factory);
      try {
        const diagnosis = await engine.diagnoseMigrationHistory({
          migrationsList: await readMigrationList(defaultMigrationsDir()),
          optInToShadowDatabase: false,
          filters: NO_FILTERS,
        });
        expect(diagnosis).toEqual({
          editedMigrationNames: [],
          failedMigrationNames: [],
          hasMigrationsTable: true,
          history: null,
        });
      } finally {
        engine.free();
        await factory.close();
      }
    },
    TIMEOUT,
  );
});
