// Scale benchmark on a real PostgreSQL: `npm run bench:scale [-- --tasks 1000000 --small 100000
// --active 10000 --rounds 3 --samples 10]`.
//
// Loads a realistic database by SQL (scripts/bench-scale-data.ts: generate_series, not the API)
// in a temporary database (dropped at the end): `--active` live tasks holding every queue's slots
// and waiting, and finished history behind them. It measures the main reads and the engine loops
// at the small size, then adds history up to `--tasks` and measures again, so the growth with
// history is one run's ratio. The 90-day window the metrics and reports read is full at both
// sizes (the small one at a lower daily rate, bench-scale-data.ts historyPlan), so the ratio is
// the history's weight, not the window filling. Each operation calls what its route handler calls (the same
// engine function, the same database), in process: the HTTP layer costs the same at both sizes.
// Samples: `--rounds` rounds of `--samples` calls each (one call per round for an operation
// slower than 1 s; p50 / p95 over all; min–max of the rounds' medians), with the load average
// before and after.
// Admin connection: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres@127.0.0.1:5432.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { type Database, openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import type { Clock } from "../server/engine/clock";
import type { EngineContext } from "../server/engine/context";
import { forgetSweepState } from "../server/engine/escalation/sweep-changes";
import { runEscalationSweeps } from "../server/engine/escalation/sweeps";
import { dispatchOnce } from "../server/engine/execution/dispatcher";
import { loadSeedTasks } from "../server/engine/format/seed-format";
import { boardCard, boardSnapshot } from "../server/engine/presenters/board";
import { listTaskIds } from "../server/engine/presenters/task-list";
import { queueStats, queueWaitingList } from "../server/engine/queue/stats";
import { collectMetrics } from "../server/engine/tracking/metrics-collector";
import { generateReport, reportToCsv } from "../server/engine/tracking/report-generator";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";
import { describeHistory, loadActiveWork, loadFinishedHistory, RARE_WORD } from "./bench-scale-data";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "1000000" },
    small: { type: "string", default: "100000" },
    active: { type: "string", default: "10000" },
    rounds: { type: "string", default: "3" },
    samples: { type: "string", default: "10" },
    keep: { type: "boolean", default: false },
  },
});
const LARGE = Number(values.tasks);
const SMALL = Math.min(Number(values.small), LARGE);
const ACTIVE = Number(values.active);
const ROUNDS = Number(values.rounds);
const SAMPLES = Number(values.samples);
const adminUrl = process.env.BENCH_DATABASE_URL ?? TEST_ADMIN_URL;
const DAY_MS = 86_400_000;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

interface Measure {
  name: string;
  p50: number;
  p95: number;
  minMedian: number;
  maxMedian: number;
  /** Bytes of the answer (JSON or CSV) when it is one. */
  bytes: number | null;
}

interface Operation {
  name: string;
  /** Returns what the route would send, to size it (or nothing for engine loops). */
  run(): Promise<unknown>;
}

async function measure(op: Operation): Promise<Measure> {
  let bytes: number | null = null;
  const first = await op.run(); // warm-up (plans, caches), not counted
  if (first !== undefined)
    bytes = Buffer.byteLength(typeof first === "string" ? first : JSON.stringify(first));
  const all: number[] = [];
  const medians: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const t0 = performance.now();
      await op.run();
      round.push(performance.now() - t0);
    }
    all.push(...round);
    medians.push(median(round));
  }
  all.sort((a, b) => a - b);
  return {
    name: op.name,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    minMedian: Math.min(...medians),
    maxMedian: Math.max(...medians),
    bytes,
  };
}

async function operations(ctx: EngineContext, c: pg.Client): Promise<Operation[]> {
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - 90 * DAY_MS);
  const sampleCards = (
    await c.query<{ id: string }>(
      `SELECT id FROM tasks WHERE state = 'QUEUED' AND queue_name = 'normal' ORDER BY id LIMIT 20`,
    )
  ).rows.map((r) => r.id);
  // The last page of the default list: the cursor just after the oldest 20 unarchived tasks.
  const lastPage = (
    await c.query<{ id: string }>(
      `SELECT id FROM tasks WHERE archived_at IS NULL ORDER BY id ASC OFFSET 20 LIMIT 1`,
    )
  ).rows[0]?.id;
  let card = 0;
  return [
    { name: "GET /board", run: () => boardSnapshot(ctx.prisma, ctx.clock) },
    {
      name: "GET /board/cards/{id}",
      run: () => boardCard(ctx.prisma, sampleCards[card++ % sampleCards.length] as string),
    },
    { name: "GET /queues", run: () => queueStats(ctx.prisma, ctx.clock) },
    { name: "GET /queues/normal/tasks (all)", run: () => queueWaitingList(ctx.prisma, "normal") },
    {
      name: "GET /queues/normal/tasks?limit=50",
      run: () => queueWaitingList(ctx.prisma, "normal", { limit: 50 }),
    },
    { name: "GET /metrics 90 d", run: () => collectMetrics(ctx, { from, to: now }) },
    {
      name: "GET /reports week csv 90 d",
      run: async () => reportToCsv(await generateReport(ctx, { from, to: now, groupBy: "week" })),
    },
    {
      name: "GET /reports client 90 d",
      run: () => generateReport(ctx, { from, to: now, groupBy: "client" }),
    },
    {
      name: `GET /tasks?q=${RARE_WORD}`,
      run: async () => {
        const page = await listTaskIds(ctx.prisma, { q: RARE_WORD });
        return { tasks: await loadSeedTasks(ctx.prisma, page.ids), next_cursor: page.nextCursor };
      },
    },
    {
      name: "GET /tasks last cursor page",
      run: async () => {
        const page = await listTaskIds(ctx.prisma, { cursor: lastPage });
        return { tasks: await loadSeedTasks(ctx.prisma, page.ids), next_cursor: page.nextCursor };
      },
    },
    {
      name: "escalation sweeps (one pass)",
      run: async () => {
        await runEscalationSweeps(ctx);
      },
    },
    {
      // What a pass knows nothing of (a restart, another instance's turn): the last 10 min of
      // events, and every past deadline looked at again, as every 10 min.
      name: "escalation sweeps (first pass of a process)",
      run: async () => {
        forgetSweepState(ctx.prisma);
        await runEscalationSweeps(ctx);
      },
    },
    {
      name: "escalation sweeps (full pass: over 5,000 events since the last)",
      run: async () => {
        await runEscalationSweeps(ctx, { full: true });
      },
    },
    {
      name: "dispatcher pass, nothing to do",
      run: async () => {
        await dispatchOnce(ctx);
      },
    },
  ];
}

async function measureAll(ctx: EngineContext, c: pg.Client): Promise<Measure[]> {
  // Steady state first: what earlier sweeps would have raised, upgraded, resolved or moved to
  // its next level is done (not measured; the loaded escalations' levels fall due in batches).
  const didSomething = (r: Awaited<ReturnType<typeof runEscalationSweeps>>) =>
    r.raised + r.upgraded + r.closed + r.levelsRaised > 0;
  for (let i = 0; i < 50 && didSomething(await runEscalationSweeps(ctx)); i++);
  const work = await dispatchOnce(ctx);
  if (work.scheduled.length + work.restarted.length > 0) {
    throw new Error(`the loaded database left the dispatcher work (${work.scheduled.length} dispatched)`);
  }
  const results: Measure[] = [];
  for (const op of await operations(ctx, c)) {
    const m = await measure(op);
    console.log(`  ${m.name}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms`);
    results.push(m);
  }
  return results;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const size = (bytes: number | null) =>
  bytes === null
    ? ""
    : bytes >= 1_000_000
      ? `${(bytes / 1e6).toFixed(2)} MB`
      : `${(bytes / 1000).toFixed(1)} KB`;
const count = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");

const name = `orch_bench_scale_${randomBytes(4).toString("hex")}`;
const nowAtStart = new Date();
const clock: Clock = { now: () => new Date() };
let db: Database | undefined;
const client = new pg.Client({ connectionString: databaseUrl(adminUrl, name) });
console.log(
  `bench:scale: ${count(SMALL)} then ${count(LARGE)} tasks (${count(ACTIVE)} active), ${ROUNDS} rounds × ${SAMPLES} calls; load average ${load()} (1/5/15 min, ${os.cpus().length} cores)`,
);
await admin((a) => a.query(`CREATE DATABASE ${name}`));
try {
  db = await openDatabase({ url: databaseUrl(adminUrl, name), migrate: true, poolSize: 4 });
  await ensureReferenceData(db.prisma);
  await client.connect();
  const ctx: EngineContext = { prisma: db.prisma, clock };
  const loadAt = performance.now();
  await loadActiveWork(client, nowAtStart, ACTIVE);
  await loadFinishedHistory(client, nowAtStart, 0, SMALL - ACTIVE);
  console.log(
    `loaded ${count(SMALL)} tasks in ${fmt(performance.now() - loadAt)}: ${describeHistory(SMALL - ACTIVE)}; measuring`,
  );
  const small = await measureAll(ctx, client);
  const growAt = performance.now();
  await loadFinishedHistory(client, nowAtStart, SMALL - ACTIVE, LARGE - ACTIVE);
  console.log(
    `grew to ${count(LARGE)} tasks in ${fmt(performance.now() - growAt)}: ${describeHistory(LARGE - ACTIVE)}; measuring`,
  );
  const large = await measureAll(ctx, client);

  console.log(`\nload average at the end: ${load()}\n`);
  console.log(`| what | ${count(SMALL)} p50 / p95 | ${count(LARGE)} p50 / p95 | p95 ratio | answer size |`);
  console.log("|---|---|---|---|---|");
  for (const [i, s] of small.entries()) {
    const l = large[i] as Measure;
    const answer = s.bytes === null ? "" : `${size(s.bytes)} → ${size(l.bytes)}`;
    console.log(
      `| ${s.name} | ${fmt(s.p50)} / ${fmt(s.p95)} | ${fmt(l.p50)} / ${fmt(l.p95)} | ${(l.p95 / s.p95).toFixed(2)}× | ${answer} |`,
    );
  }
  console.log(
    `\n(min–max of the rounds' medians at ${count(LARGE)}: ${large.map((m) => `${m.name} ${fmt(m.minMedian)}–${fmt(m.maxMedian)}`).join("; ")})`,
  );
} finally {
  await client.end().catch(() => {});
  await db?.close();
  if (!values.keep) await admin((a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  else console.log(`kept database ${name}`);
}
