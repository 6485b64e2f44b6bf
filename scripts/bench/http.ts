// (d) The HTTP write path with sockets open: the real server (server/main.ts, production build:
// run `npx next build` first) on the bench database, S socket.io clients connected, and task
// creations sent through POST /api/v1/tasks at a fixed rate (open loop: each on time, whatever
// the answers). Measured: HTTP latency, the rate actually sustained, and for every socket the
// delay from the creation's answer (its transaction committed) to its `task.queued` event;
// events that never arrive count as dropped.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { type ChangeEvent, SOCKET_EVENT } from "../../lib/events";
import { adminHeaders, type RunningServer, startServer, TEST_ADMIN_TOKEN } from "../../test/server-process";
import { paced } from "./graphile";
import { percentile } from "./stats";

export interface HttpRound {
  /** Changes per second the server sustained (answered / elapsed). */
  sustained: number;
  httpP50: number;
  httpP99: number;
  socketP50: number;
  socketP99: number;
  dropped: number;
  /** CPU the server process spent per change answered (ms), NaN where /proc is absent. */
  serverCpuMs: number;
  /** CPU this process (the 200 socket clients and the HTTP sender) spent per change (ms). */
  clientCpuMs: number;
}

/** A process's user + system CPU so far in ms, from /proc (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export interface HttpBench {
  round(changes: number, ratePerSecond: number): Promise<HttpRound>;
  close(): Promise<void>;
}

function createTask(url: string, title: string): Promise<Response> {
  return fetch(`${url}/api/v1/tasks`, {
    method: "POST",
    headers: adminHeaders({ "content-type": "application/json" }),
    body: JSON.stringify({ definition: { title }, queue: { name: "backlog" } }),
  });
}

export async function startHttpBench(databaseUrl: string, sockets: number): Promise<HttpBench> {
  const server: RunningServer = await startServer({
    DATABASE_URL: databaseUrl,
    ORCHESTRATOR_ENGINE: "0",
    ORCHESTRATOR_CHECK_RESPONSES: "0",
    ORCHESTRATOR_INTEGRATIONS: "0",
    // One admin token sends every change: the per-token limit (20/s by default) is not measured.
    API_RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const clients: Socket[] = [];
  const heard = new Map<string, number[]>();
  for (let i = 0; i < sockets; i++) {
    const socket = io(server.url, { transports: ["websocket"], auth: { token: TEST_ADMIN_TOKEN } });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    socket.on(SOCKET_EVENT, (events: ChangeEvent[]) => {
      const at = performance.now();
      for (const event of events) {
        if (event.type !== "task.queued" || !event.taskId) continue;
        const times = heard.get(event.taskId) ?? [];
        times.push(at);
        heard.set(event.taskId, times);
      }
    });
    clients.push(socket);
  }
  // Warm-up, not measured: Next loads and compiles a route on its first request.
  for (let i = 0; i < 20; i++) await (await createTask(server.url, `HTTP warm-up ${i}`)).arrayBuffer();

  return {
    async round(changes, ratePerSecond) {
      heard.clear();
      const answered = new Map<string, number>();
      const http: number[] = [];
      const started = performance.now();
      const serverCpu = cpuMsOf(server.process.pid);
      const clientCpu = process.cpuUsage();
      let failed = 0;
      const statuses = new Map<number, number>();
      await paced(changes, ratePerSecond, async (i) => {
        const sent = performance.now();
        // A connection the loaded server could not take is a failed change, not the bench's end.
        const response = await createTask(server.url, `HTTP bench ${i}`).catch((error: Error) => {
          failed += 1;
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
          if (failed === 1) console.warn(`(d) first failure: ${error.message} (${String(error.cause)})`);
          return null;
        });
        if (!response) return;
        const at = performance.now();
        http.push(at - sent);
        if (response.status !== 201) {
          failed += 1;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (failed === 1) console.warn(`(d) first refusal: ${response.status} ${await response.text()}`);
          else await response.arrayBuffer();
          return;
        }
        const { task } = (await response.json()) as { task: { id: string } };
        answered.set(task.id, at);
      });
      const seconds = (performance.now() - started) / 1_000;
      const serverCpuMs = (cpuMsOf(server.process.pid) - serverCpu) / answered.size;
      const { user, system } = process.cpuUsage(clientCpu);
      const clientCpuMs = (user + system) / 1_000 / answered.size;
      // Give the last events time to arrive (a condition with a limit, not a fixed wait).
      const expected = answered.size * clients.length;
      const count = () => [...answered.keys()].reduce((n, id) => n + (heard.get(id)?.length ?? 0), 0);
      const limit = performance.now() + 10_000;
      while (count() < expected && performance.now() < limit) await new Promise((r) => setTimeout(r, 20));
      const delays: number[] = [];
      for (const [id, at] of answered) for (const t of heard.get(id) ?? []) delays.push(Math.max(0, t - at));
      if (failed > 0)
        console.warn(`(d) ${failed} creations failed: ${JSON.stringify(Object.fromEntries(statuses))}`);
      return {
        sustained: answered.size / seconds,
        httpP50: percentile(http, 50),
        httpP99: percentile(http, 99),
        socketP50: percentile(delays, 50),
        socketP99: percentile(delays, 99),
        dropped: expected - delays.length + failed * clients.length,
        serverCpuMs,
        clientCpuMs,
      };
    },
    async close() {
      for (const socket of clients) socket.close();
      await server.stop();
    },
  };
}
