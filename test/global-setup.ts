import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import { databaseUrl, TEST_ADMIN_URL } from "./config";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** The template's name follows the migrations' content, so a schema change builds a fresh one. */
async function migrationsFingerprint(): Promise<string> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  const hash = createHash("sha256");
  for (const entry of (await readdir(dir)).sort()) {
    if (entry.endsWith(".toml")) continue;
    hash.update(entry).update(await readFile(path.join(dir, entry, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 12);
}

export default async function setup(project: TestProject): Promise<void> {
  const template = `orch_template_${await migrationsFingerprint()}`;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    // One advisory lock so parallel `vitest` runs don't build the same template twice.
    await admin.query("SELECT pg_advisory_lock(90210)");
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      const db = await openDatabase({
        url: databaseUrl(TEST_ADMIN_URL, template),
        migrate: true,
        poolSize: 1,
      });
      await ensureReferenceData(db.prisma);
      await db.close();
    }
    await admin.query("SELECT pg_advisory_unlock(90210)");
  } finally {
    await admin.end();
  }
  project.provide("templateDatabase", template);
}
