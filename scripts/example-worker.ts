// A small real worker over HTTP: claims tasks for its skills, heartbeats while it "works",
// then completes them with an output. Claims long-poll (wait_seconds: the server answers when
// work comes, no empty polling); results go in batches (POST /api/v1/workers/complete, up to 50
// at once, one request in flight). Stops claiming on SIGTERM / SIGINT and finishes what it holds
// before exiting.
//
//   node --import tsx scripts/example-worker.ts --url http://localhost:3000 --skills backend,frontend
//
// Options: --token (or ORCHESTRATOR_API_KEY: an API key of scope `worker`), --worker-id
// (default example-worker-<pid>), --concurrency (tasks at once, default 2), --work-ms (time one
// task takes, default 3000), --wait-s (how long a claim waits for work, default 20), --poll-ms
// (wait after an unreachable server or a refused claim, default 1000),
// --fail-rate (share of tasks reported as a recoverable failure, default 0).
import { hostname } from "node:os";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    skills: { type: "string" },
    token: { type: "string" },
    "worker-id": { type: "string" },
    concurrency: { type: "string", default: "2" },
    "work-ms": { type: "string", default: "3000" },
    "poll-ms": { type: "string", default: "1000" },
    "wait-s": { type: "string", default: "20" },
    "fail-rate": { type: "string", default: "0" },
  },
});

const skills = (values.skills ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
if (skills.length === 0) {
  console.error(
    "usage: example-worker.ts --url http://localhost:3000 --skills backend,frontend [--token tok_…]",
  );
  process.exit(2);
}
const baseUrl = values.url.replace(/\/$/, "");
const token = values.token ?? process.env.ORCHESTRATOR_API_KEY;
const workerId = values["worker-id"] ?? `example-worker-${hostname()}-${process.pid}`;
const concurrency = Math.max(1, Number(values.concurrency));
const workMs = Math.max(100, Number(values["work-ms"]));
const pollMs = Math.max(50, Number(values["poll-ms"]));
const waitSeconds = Math.min(30, Math.max(0, Number(values["wait-s"])));
const failRate = Number(values["fail-rate"]);

interface SeedTask {
  id: string;
  definition: { title: string; type: string; skill_target: string };
  execution: { current_step: string | null };
}

const log = (msg: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), worker: workerId, msg, ...extra }));

async function post<T>(
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    signal,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ worker_id: workerId, ...(body as object) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let stopping = false;
/** The long-polling claim in flight: a stop cancels it rather than waiting for its answer. */
let claiming: AbortController | null = null;
const running = new Set<Promise<void>>();

/** Works on one task: four heartbeats with growing progress, then complete (or fail). */
async function work(task: SeedTask): Promise<void> {
  log("claimed", { task: task.id, title: task.definition.title });
  for (const progress of [20, 40, 60, 80]) {
    await sleep(workMs / 5);
    const beat = await post<{ error?: { code: string } }>(`/api/v1/workers/tasks/${task.id}/heartbeat`, {
      progress_percent: progress,
    });
    if (beat.status !== 200) {
      log("lost the task", { task: task.id, status: beat.status, code: beat.body.error?.code });
      return;
    }
  }
  await sleep(workMs / 5);
  if (Math.random() < failRate) {
    const failed = await post(`/api/v1/workers/tasks/${task.id}/fail`, {
      error: "example failure",
      recoverable: true,
    });
    log("failed", { task: task.id, status: failed.status });
    return;
  }
  await submit({
    task_id: task.id,
    output: {
      deliverables: [{ name: `${task.definition.type} result`, by: workerId }],
      notes: [`Done by ${workerId} in ${workMs} ms`],
      next_actions: [],
    },
  });
}

interface Result {
  task_id: string;
  output: Record<string, unknown[]>;
}
interface ResultAnswer {
  task_id: string;
  ok: boolean;
  error?: { code: string };
}
const results: Result[] = [];
let sending: Promise<void> | null = null;

/** Queues a result; one request at a time carries every result waiting (up to 50). */
function submit(result: Result): Promise<void> {
  results.push(result);
  sending ??= (async () => {
    while (results.length > 0) {
      const batch = results.splice(0, 50);
      const sent = await post<{ results?: ResultAnswer[]; error?: { code: string } }>(
        "/api/v1/workers/complete",
        { results: batch },
      ).catch((error) => ({
        status: 0,
        body: { error: { code: String(error) } } as { results?: ResultAnswer[] },
      }));
      for (const answer of sent.body.results ?? []) {
        log(answer.ok ? "completed" : "complete refused", { task: answer.task_id, code: answer.error?.code });
      }
      if (sent.status !== 200)
        log("results refused", { status: sent.status, tasks: batch.map((r) => r.task_id) });
    }
    sending = null;
  })();
  return sending;
}

async function loop(): Promise<void> {
  log("started", { url: baseUrl, skills, concurrency });
  while (!stopping) {
    const room = concurrency - running.size;
    if (room <= 0) {
      await Promise.race(running);
      continue;
    }
    let claimed: SeedTask[] = [];
    claiming = new AbortController();
    try {
      const response = await post<{ tasks?: SeedTask[]; error?: { code: string; message: string } }>(
        "/api/v1/workers/claim",
        { skills, max: room, wait_seconds: waitSeconds },
        claiming.signal,
      );
      if (response.status !== 200) {
        log("claim refused", { status: response.status, error: response.body.error });
        if (response.status === 401 || response.status === 403) process.exit(1);
        await sleep(pollMs);
      }
      claimed = response.body.tasks ?? [];
    } catch (error) {
      if (stopping) break;
      log("server unreachable", { error: String(error) });
      await sleep(pollMs);
    } finally {
      claiming = null;
    }
    for (const task of claimed) {
      const job = work(task)
        .catch((error) => log("work failed", { task: task.id, error: String(error) }))
        .finally(() => running.delete(job));
      running.add(job);
    }
  }
  await Promise.all(running);
  await sending;
  log("stopped");
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    stopping = true;
    claiming?.abort();
  });
}

await loop();
process.exit(0);
