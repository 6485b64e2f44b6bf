// Our side of the bench: the engine's full lifecycle on the bench database — the engine
// runner's dispatcher (QUEUED → SCHEDULED, woken by LISTEN/NOTIFY), W worker loops using the
// worker protocol (batched claim → IN_PROGRESS under a lease, batched complete → COMPLETED with
// the next batch claimed in the same statement, a freed slot handed over to the queue's next
// task), every change through the one door (version, history, audit, event).
import { performance } from "node:perf_hooks";
import type { Database } from "../../server/db/client";
import type { Task } from "../../server/db/generated/client";
import type { EngineContext } from "../../server/engine/context";
import { startEngine } from "../../server/engine/execution/engine-runner";
import { insertQueuedTasks, resetTasks } from "../../server/engine/execution/testing/support";
import { type WorkSignal, workSignal } from "../../server/engine/execution/work-signal";
import { claimTasks, completeAndClaim } from "../../server/engine/execution/worker-protocol";
import { createTask } from "../../server/engine/queue/create-task";
import { logger } from "../../server/logger";
import { ChangeBus } from "../../server/realtime/change-bus";
import { paced } from "./graphile";

const quiet = logger.child({}, { level: "warn" });
const SYSTEM = { id: "bench", role: "system" } as const;
const SKILLS = ["backend", "frontend"];
/** The seed's queues in the proportions of a working day (capacities are the seed's). */
export const SEED_MIX = [
  "normal",
  "normal",
  "low_priority",
  "low_priority",
  "high_priority",
  "urgent",
  "critical",
];

export interface WorkerSettings {
  workers: number;
  claimBatch: number;
}

/**
 * How long a claim that finds nothing waits for work: the example worker's default
 * (scripts/example-worker.ts --wait-s 20). A shorter wait only adds empty claims: each waiting
 * worker claims again when it runs out.
 */
const CLAIM_WAIT_MS = 20_000;

/**
 * W workers claim (a batch, waiting on the work signal when nothing is claimable) and complete
 * what they claimed with their next claim (one call) until `total` tasks are done; then the
 * claims still waiting are cancelled, as a stopping worker does.
 */
async function drain(
  ctx: EngineContext,
  total: number,
  settings: WorkerSettings,
  signal: WorkSignal,
): Promise<void> {
  let completed = 0;
  const stop = new AbortController();
  await Promise.all(
    Array.from({ length: settings.workers }, async (_, w) => {
      const workerId = `bench-${w}`;
      const claim = { skills: SKILLS, max: settings.claimBatch };
      let tasks: Task[] = [];
      while (completed < total) {
        if (tasks.length === 0) {
          ({ tasks } = await claimTasks(ctx, {
            workerId,
            ...claim,
            waitMs: CLAIM_WAIT_MS,
            signal,
            abort: stop.signal,
          }));
          continue;
        }
        // Results handed back with the next claim (POST /workers/complete with `claim`).
        const { results, claimed } = await completeAndClaim(
          ctx,
          workerId,
          tasks.map((t) => ({ taskId: t.id, output: { deliverables: ["bench"] } })),
          claim,
        );
        const refused = results.find((r) => !r.ok);
        if (refused && !refused.ok) throw refused.error;
        completed += results.length;
        tasks = claimed.tasks;
        if (completed >= total) stop.abort();
      }
    }),
  );
}

/** Tasks per second through QUEUED → SCHEDULED → IN_PROGRESS → COMPLETED, over `queues`. */
export async function lifecycleThroughput(
  db: Database,
  ctx: EngineContext,
  n: number,
  queues: readonly string[],
  settings: WorkerSettings,
): Promise<number> {
  await resetTasks(ctx);
  await insertQueuedTasks(
    ctx,
    Array.from({ length: n }, (_, i) => ({
      queue: queues[i % queues.length]!,
      skill: SKILLS[i % SKILLS.length],
      score: (i * 37) % 100,
    })),
  );
  const bus = new ChangeBus();
  await bus.start(db, quiet);
  const started = performance.now();
  const runner = await startEngine(db, ctx, quiet, { pollMs: 1_000, sweepMs: 60_000, escalationSweepMs: 0 });
  try {
    await drain(ctx, n, settings, workSignal(bus));
  } finally {
    await runner.stop();
    await bus.stop();
  }
  const seconds = (performance.now() - started) / 1_000;
  const completed = await ctx.prisma.task.count({ where: { state: "COMPLETED" } });
  if (completed !== n) throw new Error(`lifecycle: ${completed} of ${n} tasks completed`);
  return n / seconds;
}

/** Creation commit → its SCHEDULED event heard on the change bus (ms), tasks created at a pace. */
export async function dispatchLatency(
  db: Database,
  ctx: EngineContext,
  samples: number,
  ratePerSecond: number,
): Promise<number[]> {
  await resetTasks(ctx);
  const bus = new ChangeBus();
  await bus.start(db, quiet);
  const heard = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  bus.subscribe((event) => {
    if (event.type !== "task.scheduled" || !event.taskId) return;
    heard.set(event.taskId, performance.now());
    waiting.get(event.taskId)?.();
  });
  const runner = await startEngine(db, ctx, quiet, { pollMs: 60_000, sweepMs: 60_000, escalationSweepMs: 0 });
  const latencies: number[] = [];
  try {
    await paced(samples, ratePerSecond, async (i) => {
      const task = await createTask(
        ctx,
        { definition: { title: `Latency ${i}`, skill_target: "backend" }, queue: { name: "backlog" } },
        SYSTEM,
      );
      const committed = performance.now();
      if (!heard.has(task.id)) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${task.id} not dispatched in 30 s`)), 30_000);
          waiting.set(task.id, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      latencies.push(Math.max(0, (heard.get(task.id) ?? committed) - committed));
    });
  } finally {
    await runner.stop();
    await bus.stop();
  }
  return latencies;
}
