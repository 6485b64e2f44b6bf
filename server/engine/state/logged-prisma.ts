// Shared by the engine's integration tests (not used at run time).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { PrismaClient } from "../../db/generated/client";
import type { EngineHarness } from "./test-support";

export interface SentQuery {
  query: string;
  params: unknown[];
}

export interface LoggedPrisma {
  /** A Prisma client on the harness's database that records every statement it sends. */
  prisma: PrismaClient;
  /** Its own pool (EXPLAIN on a connection of it). */
  pool: pg.Pool;
  /** The statements sent, oldest first: empty it (`sent.length = 0`) before what you count. */
  sent: SentQuery[];
}

/**
 * For tests that tell what a read or a pass costs by the statements it sends, not by time. Call
 * after setupEngine: its database is up before this client, which is gone before the database.
 */
export function setupLoggedPrisma(h: EngineHarness): LoggedPrisma {
  const logged = { sent: [] as SentQuery[] } as LoggedPrisma;
  beforeAll(() => {
    logged.pool = new pg.Pool({ connectionString: h.db.url, max: 2 });
    const client = new PrismaClient({
      adapter: new PrismaPg(logged.pool),
      log: [{ emit: "event", level: "query" }],
    });
    client.$on("query", (e) =>
      logged.sent.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }),
    );
    logged.prisma = client as unknown as PrismaClient;
  });
  afterAll(async () => {
    await logged.prisma?.$disconnect();
    await logged.pool?.end();
  });
  return logged;
}
