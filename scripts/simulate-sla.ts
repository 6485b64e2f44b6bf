// A simulated day for the SLA and escalation model: `npm run simulate:sla [-- --hours 24]`.
//
// On a temporary PostgreSQL database (dropped at the end) and the engine's fake clock, moved one
// minute at a time: tasks arrive at random (the demo's mix of queues, skills and estimates,
// server/demo/demo-tasks.ts), the real dispatcher schedules them, workers claim them through the
// worker protocol and finish, fail or block them with the built-in simulator's odds
// (SIMULATOR_DEFAULTS: 8 % failures, 15 % of them unrecoverable, 3 % blocked "Attente validation
// client"), taking estimate × (0.7…1.3) hours; a client answers a block within 1–5 h. The real
// escalation sweep runs every minute. It prints:
// - escalations raised per 100 tasks after this change (counted in the database), and before it
//   (the previous rules, evaluated on the same day: an SLA escalation for every live task whose
//   unpaused deadline — queue entry + SLA — is less than 1 h away, once per deadline; the other
//   reasons are the same rules in both);
// - the forecast's median absolute error (first forecast of each task vs its completion).
// Admin connection: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres@127.0.0.1:5432.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import { demoTasks } from "../server/demo/demo-tasks";
import { FakeClock } from "../server/engine/clock";
import type { EngineContext } from "../server/engine/context";
import { runEscalationSweeps } from "../server/engine/escalation/sweeps";
import { dispatchOnce } from "../server/engine/execution/dispatcher";
import { SIMULATOR_DEFAULTS } from "../server/engine/execution/simulator";
import {
  ANY_SKILL,
  blockWork,
  claimTasks,
  completeWork,
  failWork,
  heartbeat,
} from "../server/engine/execution/worker-protocol";
import { forecastAccuracy } from "../server/engine/forecast/forecast-record";
import { createTask } from "../server/engine/queue/create-task";
import { resumeTask, unblockTask } from "../server/engine/state/blocker-handler";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";

const { values } = parseArgs({
  options: {
    hours: { type: "string", default: "24" },
    "arrival-minutes": { type: "string", default: "12" },
    workers: { type: "string", default: "30" },
    seed: { type: "string", default: "11" },
  },
});
const HOURS = Number(values.hours);
const ARRIVAL_MINUTES = Number(values["arrival-minutes"]);
const WORKERS = Number(values.workers);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const adminUrl = process.env.BENCH_DATABASE_URL ?? TEST_ADMIN_URL;
const SYSTEM = { id: "simulate-sla", role: "system" } as const;
const CLIENT = { id: "user:client-desk@example.com", role: "account_manager" } as const;
const WORKER = "simulate-sla-worker";

/** mulberry32: the same day every run for a given seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

type Fate = "complete" | "fail" | "block";
interface Job {
  endsAt: number;
  /** Last heartbeat: leases last 1 h at most, so a worker beats every 30 min. */
  beatAt: number;
  fate: Fate;
  recoverable: boolean;
}

async function main(): Promise<void> {
  const random = rng(Number(values.seed));
  const name = `orch_simsla_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(adminUrl, name);
  const { execFileSync } = await import("node:child_process");
  execFileSync("node", ["--import", "tsx", "scripts/migrate.ts", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "ignore",
  });
  const db = await openDatabase({ url, poolSize: 4 });
  const started = Date.now();
  try {
    await ensureReferenceData(db.prisma);
    const clock = new FakeClock("2026-03-02T07:00:00Z"); // a Monday
    const ctx: EngineContext = { prisma: db.prisma, clock };
    const mix = demoTasks().map(({ intake_id: _, ...t }) => t);
    const jobs = new Map<string, Job>();
    const answers = new Map<string, number>(); // blocked task → when the client answers
    const before = new Set<string>(); // the previous SLA rule's occurrences: task|deadline
    let created = 0;
    const end = clock.now().getTime() + HOURS * HOUR;

    while (clock.now().getTime() < end) {
      const now = clock.now().getTime();
      if (random() < 1 / ARRIVAL_MINUTES) {
        await createTask(ctx, mix[Math.floor(random() * mix.length)]!, SYSTEM);
        created += 1;
      }
      await dispatchOnce(ctx);
      const room = WORKERS - jobs.size;
      if (room > 0) {
        const { tasks } = await claimTasks(ctx, {
          workerId: WORKER,
          skills: [ANY_SKILL],
          max: Math.min(room, 50),
          leaseMs: HOUR,
        });
        for (const task of tasks) {
          const roll = random();
          const fate: Fate =
            roll < SIMULATOR_DEFAULTS.failureRate
              ? "fail"
              : roll < SIMULATOR_DEFAULTS.failureRate + SIMULATOR_DEFAULTS.blockRate
                ? "block"
                : "complete";
          const hours =
            (task.estimatedDurationHours ?? SIMULATOR_DEFAULTS.defaultHours) * (0.7 + 0.6 * random());
          const endsAt = now + hours * HOUR * (fate === "complete" ? 1 : 0.2 + 0.6 * random());
          jobs.set(task.id, {
            endsAt,
            beatAt: now,
            fate,
            recoverable: random() >= SIMULATOR_DEFAULTS.unrecoverableShare,
          });
        }
      }
      for (const [id, job] of jobs) {
        if (job.endsAt > now) {
          if (now - job.beatAt >= 30 * MINUTE) {
            await heartbeat(ctx, id, WORKER, { leaseMs: HOUR });
            job.beatAt = now;
          }
          continue;
        }
        jobs.delete(id);
        if (job.fate === "complete") await completeWork(ctx, id, WORKER);
        else if (job.fate === "fail")
          await failWork(ctx, id, WORKER, { error: "Upstream API timed out", recoverable: job.recoverable });
        else {
          await blockWork(ctx, id, WORKER, "Attente validation client");
          answers.set(id, now + (1 + 4 * random()) * HOUR);
        }
      }
      for (const [id, at] of answers) {
        if (at > now) continue;
        answers.delete(id);
        await unblockTask(ctx, id, CLIENT);
        await resumeTask(ctx, id, SYSTEM);
      }
      // The previous rule, on the same day: an SLA escalation as soon as the unpaused deadline
      // (queue entry + SLA) is less than 1 h away, for every live task, once per deadline.
      const old = await db.prisma.$queryRaw<{ key: string }[]>`
        SELECT t.id || '|' || (t.queue_entered_at + q.sla_minutes * interval '1 minute')::text AS key
        FROM tasks t JOIN queues q ON q.name = t.queue_name
        WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND q.sla_minutes IS NOT NULL AND q.name <> 'scheduled'
          AND t.queue_entered_at + q.sla_minutes * interval '1 minute' < ${new Date(now + HOUR)}`;
      for (const { key } of old) before.add(key);
      await runEscalationSweeps(ctx);
      clock.advance(MINUTE);
    }

    const byReason = await db.prisma.$queryRaw<{ reason: string; n: number }[]>`
      SELECT reason, count(*)::int AS n FROM escalations GROUP BY reason ORDER BY reason`;
    const count = (r: string) => byReason.find((x) => x.reason === r)?.n ?? 0;
    const sameInBoth =
      count("blocked_over_24h") +
      count("retries_exhausted") +
      count("unrecoverable_error") +
      count("dependency_conflict");
    const afterSla = count("sla_breach_imminent") + count("sla_breached");
    const per100 = (n: number) => ((100 * n) / Math.max(created, 1)).toFixed(1);
    const upgraded = await db.prisma.auditLog.count({ where: { action: "escalation.upgraded" } });
    const autoResolved = await db.prisma.escalation.count({
      where: { resolvedBy: "task-orchestrator/escalation" },
    });
    const openAtEnd = await db.prisma.escalation.count({ where: { status: { not: "RESOLVED" } } });
    const completed = await db.prisma.task.count({ where: { state: "COMPLETED" } });
    const accuracy = await forecastAccuracy(db.prisma, {
      from: new Date(end - HOURS * HOUR),
      to: new Date(end + 1),
    });

    console.log(
      `Simulated ${HOURS} h on the fake clock: ${created} tasks (one every ~${ARRIVAL_MINUTES} min), ${WORKERS} workers, ${completed} completed, seed ${values.seed}.`,
    );
    console.log("");
    console.log("| escalations raised | before (previous rules) | after (this change) |");
    console.log("|---|---|---|");
    console.log(
      `| SLA (imminent + breached) | ${before.size} | ${afterSla} (${upgraded} imminent upgraded to breached in place) |`,
    );
    console.log(`| other reasons (same rules) | ${sameInBoth} | ${sameInBoth} |`);
    console.log(
      `| **per 100 tasks** | **${per100(before.size + sameInBoth)}** | **${per100(afterSla + sameInBoth)}** |`,
    );
    console.log("");
    console.log(
      `After: ${autoResolved} resolved by themselves (cause gone), ${openAtEnd} still open at the end.`,
    );
    console.log(
      `Forecast: median absolute error ${accuracy.median_abs_error_minutes ?? "n/a"} min over ${accuracy.samples} completed tasks (first forecast vs completion).`,
    );
    console.log(
      `Ran in ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}.`,
    );
  } finally {
    await db.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
