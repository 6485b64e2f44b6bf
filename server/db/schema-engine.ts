// Drives Prisma's own WASM schema engine (`@prisma/schema-engine-wasm`) through a driver adapter,
// because every `prisma migrate` command needs the native engine binary, which cannot be
// downloaded on our machines. Used by scripts/migrate.ts to turn schema.prisma changes into SQL.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { defaultMigrationsDir, readLocalMigrations, readMigrationLock } from "./migrations.ts";

// ---------------------------------------------------------------------------------------------
// Loading the engine
// ---------------------------------------------------------------------------------------------

type EngineRuntime = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let runtimePromise: Promise<EngineRuntime> | undefined;

/**
 * Instantiates the WASM module once per process, the way Prisma 6's CLI did. The package's own
 * entry (`schema_engine.js`) imports the .wasm as an ES module, which Node cannot do, so we
 * compile the file ourselves and hand the JS glue to it as its import object.
 */
export function loadSchemaEngineRuntime(): Promise<EngineRuntime> {
  runtimePromise ??= (async () => {
    const runtime: EngineRuntime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const imports: Record<string, unknown> = { ...runtime };
    // The engine leaves a ~10 s timer behind after each call; unref it so CLI runs and test
    // workers exit as soon as their work is done.
    for (const key of Object.keys(imports).filter((k) => k.startsWith("__wbg_setTimeout_"))) {
      imports[key] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
    });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime;
  })().catch((error: unknown) => {
    runtimePromise = undefined; // let a later call retry rather than cache the failure
    throw error;
  });
  return runtimePromise;
}

export interface PrismaSchemaFile {
  /** Shown in the engine's error messages. */
  path: string;
  content: string;
}

/** Starts an engine for one schema over the given adapter factory. Call `free()` when done. */
export async function createSchemaEngine(
  schema: PrismaSchemaFile,
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadSchemaEngineRuntime();
  return SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

// ---------------------------------------------------------------------------------------------
// A PostgreSQL adapter factory the engine can live with
// ---------------------------------------------------------------------------------------------

const CHAR_OID = 18; // "char", e.g. pg_class.relkind, read by the engine's schema describer
const TEXT_OID = 25;

type QueryFn = (...args: unknown[]) => unknown;

/** adapter-pg has no mapping for `"char"` columns and rejects them; relabel them as text. */
function relabelCharColumns(result: unknown): void {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as Partial<pg.QueryResult> | undefined)?.fields ?? []) {
      if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
}

/** Wraps one connection's `query`, in both the callback form (pg-pool) and the promise form. */
function patchCharColumns(client: pg.PoolClient): void {
  const original = client.query.bind(client) as QueryFn;
  const patched: QueryFn = (...args) => {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        if (!error) relabelCharColumns(result);
        return (callback as QueryFn)(error, result);
      };
      return original(...args);
    }
    const returned = original(...args);
    return returned instanceof Promise
      ? returned.then((result: unknown) => {
          relabelCharColumns(result);
          return result;
        })
      : returned;
  };
  (client as unknown as { query: QueryFn }).query = patched;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface EngineAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Closes every pool and drops every shadow database the engine did not dispose of itself. */
  close(): Promise<void>;
}

/**
 * adapter-pg's factory, with the three fixes the engine needs:
 * - `connectToShadowDb()` gives a real, separate, temporary database (adapter-pg's spreads the
 *   connection string over the database name, so it replays migrations into the main one);
 * - `"char"` columns (OID 18) are read as text;
 * - `executeScript` sends the script as ONE simple query (adapter-pg splits it on every `;`,
 *   which breaks on semicolons in comments, strings and function bodies).
 * `url` must allow CREATE DATABASE; the shadow databases live on the same server.
 */
export function postgresEngineAdapterFactory(url: string): EngineAdapterFactory {
  const open = new Set<SqlDriverAdapter>();

  async function connectTo(connectionString: string): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString });
    pool.on("connect", patchCharColumns);
    const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
    adapter.executeScript = async (script: string) => {
      // No parameters => pg's simple query protocol, which takes a whole multi-statement script.
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (open.delete(adapter)) await dispose();
    };
    open.add(adapter);
    return adapter;
  }

  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(url),
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      await adminQuery(url, `CREATE DATABASE "${name}"`);
      const drop = () => adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      let adapter: SqlDriverAdapter;
      try {
        adapter = await connectTo(withDatabase(url, name));
      } catch (error) {
        await drop();
        throw error;
      }
      const dispose = adapter.dispose.bind(adapter);
      let dropped = false;
      adapter.dispose = async () => {
        try {
          await dispose();
        } finally {
          if (!dropped) {
            dropped = true;
            await drop();
          }
        }
      };
      return adapter;
    },
    async close() {
      await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// What the CLI needs
// ---------------------------------------------------------------------------------------------

export interface DiffOptions {
  /** schema.prisma to compare with; default `prisma/schema.prisma` under the working directory. */
  schemaPath?: string;
  /** Schema text to use instead of reading `schemaPath` (tests pass modified copies). */
  schemaContent?: string;
  migrationsDir?: string;
  /** Receives the engine's JSON log lines. */
  log?: (line: string) => void;
}

const readSchemaFile = async (file: string): Promise<PrismaSchemaFile> => ({
  path: file,
  content: await readFile(file, "utf8"),
});

/** The engine's answer for "no difference" in script mode. */
const EMPTY_MIGRATION = /^\s*-- This is an empty migration\.\s*$/;

export async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const migrations = await readLocalMigrations(migrationsDir);
  return {
    baseDir: migrationsDir,
    // The engine insists on a lock file; an absent one is what `create` is about to write.
    lockfile: {
      path: "migration_lock.toml",
      content: (await readMigrationLock(migrationsDir)) ?? 'provider = "postgresql"\n',
    },
    shadowDbInitScript: "",
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}

/**
 * SQL that takes a database built by the migrations folder to what schema.prisma describes;
 * "" when they agree. The engine replays the migrations into a temporary shadow database created
 * through `url` (an account allowed to CREATE DATABASE) and drops it afterwards; no other
 * database is written to.
 */
export async function diffMigrationsToSchema(url: string, options: DiffOptions = {}): Promise<string> {
  const schema =
    options.schemaContent !== undefined
      ? { path: options.schemaPath ?? "schema.prisma", content: options.schemaContent }
      : await readSchemaFile(path.resolve(options.schemaPath ?? "prisma/schema.prisma"));
  const migrationsList = await readMigrationList(options.migrationsDir ?? defaultMigrationsDir());
  const factory = postgresEngineAdapterFactory(url);
  try {
    const engine = await createSchemaEngine(schema, factory, options.log);
    try {
      const result = await engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      const sql = result.stdout ?? "";
      return EMPTY_MIGRATION.test(sql) ? "" : sql;
    } finally {
      engine.free();
    }
  } finally {
    await factory.close();
  }
}
