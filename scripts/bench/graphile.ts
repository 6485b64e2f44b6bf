// The anchor: graphile-worker at concurrency 10 with no-op jobs, on the bench's database (its own
// schema). Same machine, same PostgreSQL, same process tree, interleaved with our rounds.
import { performance } from "node:perf_hooks";
import { Logger, makeWorkerUtils, run } from "graphile-worker";

const silent = new Logger(() => () => {});
const CONCURRENCY = 10;

/** A c10 graphile worker on `url` running `noop` jobs with `onJob`. */
function startWorker(url: string, onJob: (payload: unknown) => void) {
  return run({
    connectionString: url,
    concurrency: CONCURRENCY,
    noHandleSignals: true,
    logger: silent,
    taskList: { noop: async (payload) => onJob(payload) },
  });
}

/** Jobs per second: N no-op jobs added up front, then a c10 worker drains them. */
export async function graphileThroughput(url: string, n: number): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString: url, logger: silent });
  try {
    await utils.migrate();
    const specs = Array.from({ length: n }, (_, i) => ({ identifier: "noop", payload: { i } }));
    for (let i = 0; i < specs.length; i += 1_000) await utils.addJobs(specs.slice(i, i + 1_000));
  } finally {
    await utils.release();
  }
  let done = 0;
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const started = performance.now();
  const runner = await startWorker(url, () => {
    done += 1;
    if (done === n) resolveAll();
  });
  await all;
  const seconds = (performance.now() - started) / 1_000;
  await runner.stop();
  return n / seconds;
}

/** add → start latencies (ms) of jobs added one at a time at `ratePerSecond`. */
export async function graphileLatency(
  url: string,
  samples: number,
  ratePerSecond: number,
): Promise<number[]> {
  const startedAt = new Map<number, number>();
  const waiting = new Map<number, (at: number) => void>();
  const runner = await startWorker(url, (payload) => {
    waiting.get((payload as { i: number }).i)?.(performance.now());
  });
  const latencies: number[] = [];
  try {
    await paced(samples, ratePerSecond, async (i) => {
      const seen = new Promise<number>((resolve) => waiting.set(i, resolve));
      await runner.addJob("noop", { i });
      const added = performance.now();
      startedAt.set(i, added);
      latencies.push((await seen) - added);
    });
  } finally {
    await runner.stop();
  }
  return latencies;
}

/** Runs `fn(i)` for i < n, one started every 1/rate seconds, and waits for them all. */
export async function paced(
  n: number,
  ratePerSecond: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  const gap = 1_000 / ratePerSecond;
  const begin = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = begin + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(fn(i));
  }
  await Promise.all(running);
}
