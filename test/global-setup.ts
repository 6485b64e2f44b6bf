import { createHash, type Hash } from "node:crypto";
import { existsSync } from "node:fs";
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

async function hashMigrations(hash: Hash): Promise<void> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  for (const entry of (await readdir(dir)).sort()) {
    if (entry.endsWith(".toml")) continue;
    hash.update(entry).update(await readFile(path.join(dir, entry, "migration.sql")));
  }
}

/** The project's own modules a source file imports (relative or `@/`), types left out. */
function localImports(file: string, source: string): string[] {
  const found: string[] = [];
  for (const [, typeOnly, spec] of source.matchAll(/^import (type )?[^;]*?from "([^"]+)";/gms)) {
    if (typeOnly || !spec) continue;
    const base = spec.startsWith("@/")
      ? path.join(process.cwd(), spec.slice(2))
      : spec.startsWith(".")
        ? path.resolve(path.dirname(file), spec)
        : null;
    if (!base) continue;
    const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")];
    const hit = candidates.find((c) => existsSync(c) && !c.endsWith(path.sep));
    if (hit && /\.tsx?$/.test(hit)) found.push(hit);
  }
  return found;
}

/**
 * The reference data the template is filled with: server/db/reference-data.ts and the modules
 * it takes its data from (e.g. lib/queues.ts), so changed queues build a fresh template too.
 */
export async function referenceDataFiles(): Promise<string[]> {
  const seen = new Set<string>();
  const todo = [path.join(process.cwd(), "server", "db", "reference-data.ts")];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...localImports(file, await readFile(file, "utf8")));
  }
  return [...seen].sort();
}

/**
 * The template's name follows the migrations' content and the reference data's source, so a
 * schema change or changed reference data builds a fresh one (a kept template is never stale).
 */
export async function templateFingerprint(): Promise<string> {
  const hash = createHash("sha256");
  await hashMigrations(hash);
  for (const file of await referenceDataFiles())
    hash.update(path.relative(process.cwd(), file)).update(await readFile(file));
  return hash.digest("hex").slice(0, 12);
}

export default async function setup(project: TestProject): Promise<void> {
  const template = `orch_template_${await templateFingerprint()}`;
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
