import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { waitFor } from "./wait-for";

/** The ORCHESTRATOR_ADMIN_TOKEN of servers started by tests. */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

export const adminHeaders = (extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
  ...extra,
});

/** A free TCP port on loopback, found by letting the OS pick one. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real server (server/main.ts, production build) as a child process and waits for
 * /api/health; on a free port unless `env.PORT` names one (a restart on the same address).
 */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawnServer(env, port);
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  try {
    await waitFor(
      "the server to answer /api/health",
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${log}`);
        return fetch(`${url}/api/health`).then(
          (response) => response.ok,
          () => false, // not listening yet
        );
      },
      { timeoutMs: 60_000, intervalMs: 200, context: () => log },
    );
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }

  return {
    url,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Runs the server on `port` until it exits by itself (start-up failure tests); its exit code and output. */
export async function runServerUntilExit(
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawnServer(env, port);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

function spawnServer(env: Record<string, string>, port: number) {
  // SERVER_NODE_ARGS: extra Node flags for the server, e.g. `--cpu-prof` to profile a bench.
  const extra = process.env.SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  return spawn(process.execPath, [...extra, "--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      ORCHESTRATOR_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      // The dispatcher would move new tasks on within 100 ms; tests that need it turn it on.
      ORCHESTRATOR_ENGINE: "0",
      // Every answer checked against the route's documented schema (server/http/response-contract.ts).
      ORCHESTRATOR_CHECK_RESPONSES: "1",
      ...env,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs scripts/example-worker.ts against `url` with a worker key; its output is collected in `log()`. */
export function spawnExampleWorker(
  url: string,
  key: string,
  options: { skills: string; workerId: string; concurrency: number; workMs: number; pollMs: number },
): { process: ChildProcess; log: () => string } {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/example-worker.ts",
      "--url",
      url,
      "--skills",
      options.skills,
      "--token",
      key,
      "--worker-id",
      options.workerId,
      "--concurrency",
      String(options.concurrency),
      "--work-ms",
      String(options.workMs),
      "--poll-ms",
      String(options.pollMs),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  return { process: child, log: () => log };
}
