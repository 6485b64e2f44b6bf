// Engine benchmark on a real PostgreSQL: `npm run bench [-- --tasks 10000 --workers 8]`.
//
// Creates a temporary database (dropped at the end) and measures:
// 1. full-lifecycle throughput: N tasks QUEUED → SCHEDULED (the engine runner's dispatcher,
//    woken by LISTEN/NOTIFY) → IN_PROGRESS (worker claim, lease) → one heartbeat → COMPLETED,
//    every step through the one door (version, history, audit, event + NOTIFY), with W
//    in-process workers using the worker protocol functions;
// 2. dispatch latency: time from a task's creation committing to its dispatch (SCHEDULED)
//    being notified, with the runner's default 100 ms debounce and without debounce.
// Admin connection: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres@127.0.0.1:5432.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { EVENTS_CHANNEL } from "../lib/events";
import { type Database, openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import { systemClock } from "../server/engine/clock";
import type { EngineContext } from "../server/engine/context";
import { startEngine } from "../server/engine/execution/engine-runner";
import { claimTasks, completeWork, heartbeat } from "../server/engine/execution/worker-protocol";
import { createTask } from "../server/engine/queue/create-task";
import { logger } from "../server/logger";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "10000" },
    workers: { type: "string", default: "8" },
    latency: { type: "string", default: "200" },
  },
});
const N = Number(values.tasks);
const WORKERS = Number(values.workers);
const LATENCY_SAMPLES = Number(values.latency);
const adminUrl = process.env.BENCH_DATABASE_URL ?? TEST_ADMIN_URL;
const SYSTEM = { id: "bench", role: "system" } as const;
const quiet = logger.child({}, { level: "warn" });

const QUEUE_MIX = ["normal", "normal", "low_priority", "low_priority", "high_priority", "urgent", "critical"];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function inParallel(n: number, workers: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function lifecycle(db: Database, ctx: EngineContext): Promise<void> {
  const created = performance.now();
  await inParallel(N, 8, async (i) => {
    await createTask(
      ctx,
      {
        definition: {
          title: `Bench ${i}`,
          type: "development",
          skill_target: i % 2 ? "backend" : "frontend",
        },
        queue: { name: QUEUE_MIX[i % QUEUE_MIX.length] as "normal" },
        priority: { score: (i * 37) % 100 },
      },
      SYSTEM,
    );
  });
  const createSeconds = (performance.now() - created) / 1_000;
  console.log(
    `created ${N} tasks in ${createSeconds.toFixed(1)} s (${(N / createSeconds).toFixed(0)} tasks/s, setup)`,
  );

  const started = performance.now();
  const runner = await startEngine(db, ctx, quiet, { pollMs: 1_000 });
  let completed = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const workerId = `bench-${w}`;
      while (completed < N) {
        const { tasks } = await claimTasks(ctx, { workerId, skills: ["backend", "frontend"], max: 5 });
        if (tasks.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        for (const task of tasks) {
          await heartbeat(ctx, task.id, workerId, { progressPercent: 50, currentStep: "code_review" });
          await completeWork(ctx, task.id, workerId, { deliverables: ["bench"] });
          completed += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  await runner.stop();
  const [history, audit, events] = await Promise.all([
    db.prisma.taskStateHistory.count(),
    db.prisma.auditLog.count(),
    db.prisma.event.count(),
  ]);
  console.log(
    `lifecycle: ${N} tasks QUEUED → COMPLETED in ${seconds.toFixed(1)} s = ${(N / seconds).toFixed(0)} tasks/s ` +
      `(${WORKERS} workers; rows: ${history} history, ${audit} audit, ${events} events)`,
  );
}

async function dispatchLatency(db: Database, ctx: EngineContext, debounceMs: number): Promise<void> {
  const runner = await startEngine(db, ctx, quiet, { pollMs: 60_000, sweepMs: 60_000, debounceMs });
  const waiting = new Map<string, (at: number) => void>();
  const unlisten = await db.listen(EVENTS_CHANNEL, (payload) => {
    const event = JSON.parse(payload) as { type: string; taskId: string | null };
    if (event.type === "task.scheduled" && event.taskId) waiting.get(event.taskId)?.(performance.now());
  });
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const task = await createTask(
      ctx,
      { definition: { title: `Latency ${i}` }, queue: { name: "backlog" } },
      SYSTEM,
    );
    const committed = performance.now();
    const scheduledAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${task.id} not dispatched`)), 10_000);
      waiting.set(task.id, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
    waiting.delete(task.id);
    samples.push(scheduledAt - committed);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await unlisten();
  await runner.stop();
  samples.sort((a, b) => a - b);
  console.log(
    `dispatch latency (debounce ${debounceMs} ms, ${samples.length} tasks, creation commit → SCHEDULED notified): ` +
      `p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms, max ${samples.at(-1)?.toFixed(1)} ms`,
  );
}

const name = `orch_bench_${randomBytes(4).toString("hex")}`;
await admin((c) => c.query(`CREATE DATABASE ${name}`));
let db: Database | undefined;
try {
  db = await openDatabase({ url: databaseUrl(adminUrl, name), migrate: true, poolSize: 12 });
  await ensureReferenceData(db.prisma);
  const ctx: EngineContext = { prisma: db.prisma, clock: systemClock };
  console.log(`bench on PostgreSQL (${name}), ${N} tasks, ${WORKERS} workers`);
  await lifecycle(db, ctx);
  await dispatchLatency(db, ctx, 100);
  await dispatchLatency(db, ctx, 0);
} finally {
  await db?.close();
  await new Promise((resolve) => setTimeout(resolve, 150));
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
