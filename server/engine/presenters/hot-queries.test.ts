import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../context";
import { runEscalationSweeps } from "../escalation/sweeps";
import { dispatchOnce } from "../execution/dispatcher";
import { queueStats, queueWaitingList } from "../queue/stats";
import { setupLoggedPrisma } from "../state/logged-prisma";
import { forceState, newTask, setupEngine } from "../state/test-support";
import { collectMetrics } from "../tracking/metrics-collector";
import { generateReport } from "../tracking/report-generator";
import { boardCard, boardSnapshot } from "./board";
import { boardFilterOptions } from "./board-filter-options";
import { listTaskIds } from "./task-list";

// Every query a hot path sends that reads `tasks` can be answered by an index: with sequential
// scans priced out (enable_seqscan = off), none of their plans scans `tasks` whole. A query that
// lost its index (a predicate no partial index matches) fails here, at any size. An index scan
// over rows the query does not need (a whole queue, finished tasks included) is not caught here:
// the growth with data is measured by `npm run bench:scale`.

const h = setupEngine();
const logged = setupLoggedPrisma(h);
const { sent } = logged;

beforeAll(async () => {
  for (let i = 0; i < 12; i++) {
    const task = await newTask(h.ctx, { queue: { name: i % 2 ? "normal" : "urgent" } });
    if (i % 4 === 0) await forceState(h.ctx, task.id, "COMPLETED");
    if (i % 4 === 1) await forceState(h.ctx, task.id, "BLOCKED");
  }
});

async function seqScansOfTasks(query: string, params: unknown[]): Promise<string[]> {
  const client = await logged.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL enable_seqscan = off");
    const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`, params);
    await client.query("ROLLBACK");
    return plan.rows
      .map((r) => r["QUERY PLAN"])
      .filter((line) => /Seq Scan on (tasks|task_search)\b/.test(line));
  } finally {
    client.release();
  }
}

/**
 * The plans of the statements a PL/pgSQL reader runs inside (EXPLAIN of its call shows none):
 * auto_explain, nested statements included, sends each plan back as a notice. On a connection
 * of its own, so no plan cached with sequential scans allowed is reused.
 */
async function seqScansInside(query: string, params: unknown[], setup?: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: h.db.url });
  const plans: string[] = [];
  client.on("notice", (notice) => plans.push(notice.message ?? ""));
  await client.connect();
  try {
    if (setup) await client.query(setup);
    await client.query("BEGIN");
    await client.query("LOAD 'auto_explain'");
    for (const setting of [
      "auto_explain.log_min_duration = 0",
      "auto_explain.log_nested_statements = on",
      "auto_explain.log_level = notice",
      "enable_seqscan = off",
    ])
      await client.query(`SET LOCAL ${setting}`);
    await client.query(query, params);
    await client.query("ROLLBACK");
  } finally {
    await client.end();
  }
  expect(plans.length, "auto_explain sent the plans").toBeGreaterThan(1);
  return plans
    .flatMap((plan) => plan.split("\n"))
    .filter((line) => /Seq Scan on (tasks|task_search)\b/.test(line));
}

/** The engine's PL/pgSQL readers whose statements read `tasks` (see seqScansInside). */
const PLPGSQL_READERS = /\borch_sweep_due\(/;

describe("hot queries", () => {
  it("are checked by a detector that sees a sequential scan when there is one", async () => {
    expect(await seqScansOfTasks("SELECT id FROM tasks WHERE description LIKE $1", ["%x%"])).not.toEqual([]);
  });

  it("are checked inside a PL/pgSQL reader too, by a detector that sees a sequential scan there", async () => {
    const probe = `CREATE FUNCTION pg_temp.scan_probe(p text) RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN RETURN (SELECT count(*) FROM tasks WHERE description LIKE p); END $$`;
    expect(await seqScansInside("SELECT pg_temp.scan_probe($1)", ["%x%"], probe)).not.toEqual([]);
  });

  it("never scan the whole tasks table", async () => {
    const ctx: EngineContext = { prisma: logged.prisma, clock: h.clock };
    const [some] = await logged.prisma.task.findMany({ where: { state: "QUEUED" }, take: 1 });
    const hotPaths: [string, () => Promise<unknown>][] = [
      ["board", () => boardSnapshot(logged.prisma, h.clock)],
      ["board column page", () => boardSnapshot(logged.prisma, h.clock, { state: "QUEUED", cursor: 1 })],
      ["board search", () => boardSnapshot(logged.prisma, h.clock, { q: "task" })],
      ["board card", () => boardCard(logged.prisma, some!.id)],
      ["queues", () => queueStats(logged.prisma, h.clock)],
      ["waiting list head", () => queueWaitingList(logged.prisma, "normal", { limit: 50 })],
      [
        "waiting list page",
        () => queueWaitingList(logged.prisma, some!.queueName, { limit: 50, after: some!.id }),
      ],
      ["board filter options", () => boardFilterOptions(logged.prisma)],
      ["metrics", () => collectMetrics(ctx, {})],
      ["report by client", () => generateReport(ctx, { groupBy: "client" })],
      ["task list", () => listTaskIds(logged.prisma, { cursor: some!.id })],
      ["task search", () => listTaskIds(logged.prisma, { q: "zanzibar" })],
      ["dispatcher pass", () => dispatchOnce(ctx)],
      ["escalation sweeps", () => runEscalationSweeps(ctx)],
    ];
    const offenders: string[] = [];
    let checked = 0;
    let readersChecked = 0;
    for (const [name, run] of hotPaths) {
      sent.length = 0;
      await run();
      const reads = sent.filter((s) => /\btasks\b/.test(s.query) && /^\s*(SELECT|WITH)/i.test(s.query));
      const readers = sent.filter((s) => PLPGSQL_READERS.test(s.query));
      expect(reads.length, `${name} reads tasks`).toBeGreaterThan(0);
      checked += reads.length + readers.length;
      for (const { query, params } of reads) {
        const scans = await seqScansOfTasks(query, params);
        if (scans.length > 0) offenders.push(`${name}: ${query.slice(0, 160)}…`);
      }
      readersChecked += readers.length;
      for (const { query, params } of readers) {
        const scans = await seqScansInside(query, params);
        if (scans.length > 0) offenders.push(`${name}, inside ${query.slice(0, 60)}…: ${scans.join("; ")}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(hotPaths.length);
    expect(readersChecked, "the sweep's candidates read inside orch_sweep_due").toBeGreaterThan(0);
  });
});
