import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { setAppContext } from "./app-context";
import { ensureDemoUsers, ensureInitialAdmin } from "./auth/users";
import { loadConfig } from "./config";
import { openDatabase } from "./db/client";
import { queryBudgets } from "./db/query-budget";
import { ensureReferenceData } from "./db/reference-data";
import { seedDemoAccountManagers } from "./demo/demo-account-managers";
import { startDemoFeed } from "./demo/demo-feed";
import { WORKED_EXAMPLE_INTAKE } from "./demo/demo-tasks";
import { seedDemoData } from "./demo/seed-demo";
import { systemClock } from "./engine/clock";
import { startEngine } from "./engine/execution/engine-runner";
import { simulatorEnabled, simulatorOptionsFromEnv } from "./engine/execution/simulator";
import { startIntegrations } from "./engine/integrations/start";
import { authenticateHeaders } from "./http/authenticate";
import { loadFastRoutes, matchFastRoute, serveFastRoute } from "./http/fast-routes";
import { listenOn } from "./http/listen";
import { answerRefusal } from "./http/request-guard";
import { logger } from "./logger";
import { ChangeBus } from "./realtime/change-bus";
import { watchCredentials } from "./realtime/credential-watch";
import { attachSocketServer, recheckSockets } from "./realtime/socket-server";

// The one process: HTTP server hosting Next.js and socket.io on one port, the engine, and a
// graceful shutdown that lets in-flight requests finish before closing the database.

const config = loadConfig();
const dev = config.NODE_ENV === "development";

/** Any part that fails to start ends the process: one clear line, exit code 1, nothing left running. */
function startupFailed(what: string, error: unknown): never {
  const err = error as { message?: string; code?: string };
  logger.fatal({ code: err?.code, error: err?.message ?? String(error) }, `startup failed: ${what}`);
  process.exit(1);
}

async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    return startupFailed(what, error);
  }
}

const db = await step("cannot open the database", () =>
  openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.ORCHESTRATOR_DATA_DIR,
    migrate: config.MIGRATE_ON_START,
    statementTimeoutMs: queryBudgets().request,
    log: logger.child({ component: "db" }),
  }),
);
await step("cannot load reference data", () => ensureReferenceData(db.prisma));
// A freed slot goes at once to the queue's next task when this process's engine dispatches.
const engine = {
  prisma: db.prisma,
  sql: db.sql,
  clock: systemClock,
  slotHandover: process.env.ORCHESTRATOR_ENGINE !== "0",
};
const changes = new ChangeBus();
await step("cannot LISTEN for changes", () => changes.start(db, logger));
const appContext = { db, engine, changes, startedAt: new Date() };
setAppContext(appContext);
await step("cannot create the initial admin", () => ensureInitialAdmin(db.prisma, systemClock));

if (config.ORCHESTRATOR_DEMO) {
  await step("cannot seed the demo", async () => {
    // Account managers first: the demo's escalations go to the client's own.
    const users = await ensureDemoUsers(db.prisma, systemClock);
    const clients = await seedDemoAccountManagers(db.prisma, systemClock);
    const seeded = await seedDemoData(engine);
    logger.info({ seeded, users, clients }, "demo data");
  });
}

const nextApp = next({ dev, dir: process.cwd() });
await step("cannot prepare Next.js", () => nextApp.prepare());
const handle = nextApp.getRequestHandler();
// The machine API's hot routes, answered without Next's route runtime (http/fast-routes.ts).
await step("cannot load the fast API routes", loadFastRoutes);

// Set by shutdown(); read by every request from the moment the port listens.
let stopping = false;

function handleRequest(req: IncomingMessage, res: ServerResponse): void {
  const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
  const started = process.hrtime.bigint();
  let via: "fast" | "next" = "next";
  res.setHeader("x-request-id", requestId);
  // Rate limits and audit key on the client's address: take it from the socket, and from
  // X-Forwarded-For only behind a proxy we were told to trust.
  req.headers["x-real-ip"] = req.socket.remoteAddress ?? "unknown";
  if (!config.TRUST_PROXY) delete req.headers["x-forwarded-for"];
  // While shutting down, a browser's keep-alive connection would hold server.close() open until
  // its idle timeout: ask the client to close it, and close it ourselves once its request is done.
  if (stopping) res.setHeader("connection", "close");
  res.on("finish", () => {
    if (stopping) setImmediate(() => server.closeIdleConnections());
    if (req.url?.startsWith("/_next/")) return;
    logger.info(
      {
        requestId,
        method: req.method,
        url: req.url,
        status: res.statusCode,
        // Which door answered: "fast" (http/fast-routes.ts) or Next.
        via,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      },
      "request",
    );
  });
  if (answerRefusal(req, res)) return;
  const fast = matchFastRoute(req.method, req.url);
  if (fast) {
    via = "fast";
    const onError = (error: unknown) => logger.error({ err: error, requestId }, "fast route failed");
    void serveFastRoute(fast, req, res, { dev, onError });
    return;
  }
  void handle(req, res);
}

const server = createServer(handleRequest);
const authenticateSocket = (headers: { authorization?: string | null; cookie?: string | null }) =>
  authenticateHeaders(appContext, headers);
const io = attachSocketServer(server, changes, authenticateSocket, logger);
// Sockets follow their credential: revoked keys, ended sessions, changed roles (on any instance).
const unwatchCredentials = await step("cannot LISTEN for credential changes", () =>
  watchCredentials(db, logger, (change) => void recheckSockets(io, authenticateSocket, change, logger)),
);

// Listen before the engine starts: a port taken (EADDRINUSE) must not leave a process running
// the engine with no HTTP server.
await step(`cannot listen on ${config.HOST}:${config.PORT}`, () =>
  listenOn(server, config.PORT, config.HOST),
);
logger.info(
  { port: config.PORT, database: db.kind, dev },
  `Task Orchestrator listening on http://localhost:${config.PORT}`,
);

// The execution engine: dispatcher (woken by committed changes), lease and parent sweeps, and
// the simulated executor in demo mode (ORCHESTRATOR_SIMULATOR=1/0 overrides). ORCHESTRATOR_ENGINE=0
// leaves dispatching to other instances (or freezes the board for tests).
const runner =
  process.env.ORCHESTRATOR_ENGINE === "0"
    ? null
    : await step("cannot start the engine", () =>
        startEngine(db, engine, logger, {
          simulator: simulatorEnabled()
            ? {
                ...simulatorOptionsFromEnv(),
                // The demo's worked example always runs to its end (TASK-001 → 002 → 003).
                reliableIntakes: config.ORCHESTRATOR_DEMO ? [WORKED_EXAMPLE_INTAKE] : [],
              }
            : false,
          // The fallback poll (default 5 s) when no change is heard; tests set it far out to
          // prove that dispatch is event-driven.
          pollMs: Number(process.env.ORCHESTRATOR_DISPATCH_POLL_MS) || undefined,
          publicUrl: config.ORCHESTRATOR_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
        }),
      );

// Integrations: outbound webhooks (outbox sweep + delivery worker, client-intake notifier),
// recurring schedules, the daily archive. ORCHESTRATOR_INTEGRATIONS=0 leaves them to other instances.
const integrations = await step("cannot start the integrations", () =>
  startIntegrations(db, engine, changes, logger),
);

// The demo keeps receiving client requests (demo-feed.ts) while its engine runs, so the board and
// the wall never go still. ORCHESTRATOR_DEMO_FEED=0 turns it off; _SECONDS sets the mean interval.
const feedSeconds = Number(process.env.ORCHESTRATOR_DEMO_FEED_SECONDS);
const stopDemoFeed =
  config.ORCHESTRATOR_DEMO && runner && process.env.ORCHESTRATOR_DEMO_FEED !== "0"
    ? startDemoFeed(engine, logger, feedSeconds > 0 ? { meanIntervalMs: feedSeconds * 1000 } : {})
    : null;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    logger.error("shutdown timed out; exiting");
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  // Stop the engine's loops first (in-flight dispatches finish), then stop accepting, let
  // in-flight requests finish, then drop sockets and the database.
  await runner?.stop();
  stopDemoFeed?.();
  await integrations.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await unwatchCredentials();
  await io.close();
  await closed;
  await changes.stop();
  await db.close();
  logger.info("stopped");
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
