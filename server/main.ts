import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { setAppContext } from "./app-context";
import { ensureDemoUsers, ensureInitialAdmin } from "./auth/users";
import { loadConfig } from "./config";
import { openDatabase } from "./db/client";
import { ensureReferenceData } from "./db/reference-data";
import { seedDemoData } from "./demo/seed-demo";
import { systemClock } from "./engine/clock";
import { startEngine } from "./engine/execution/engine-runner";
import { simulatorEnabled, simulatorOptionsFromEnv } from "./engine/execution/simulator";
import { startIntegrations } from "./engine/integrations/start";
import { authenticateHeaders } from "./http/authenticate";
import { logger } from "./logger";
import { ChangeBus } from "./realtime/change-bus";
import { attachSocketServer } from "./realtime/socket-server";

// The one process: HTTP server hosting Next.js and socket.io on one port, the engine, and a
// graceful shutdown that lets in-flight requests finish before closing the database.

const config = loadConfig();
const dev = config.NODE_ENV === "development";

const db = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.ORCHESTRATOR_DATA_DIR,
  migrate: config.MIGRATE_ON_START,
});
await ensureReferenceData(db.prisma);
// A freed slot goes at once to the queue's next task when this process's engine dispatches.
const engine = {
  prisma: db.prisma,
  clock: systemClock,
  slotHandover: process.env.ORCHESTRATOR_ENGINE !== "0",
};
const changes = new ChangeBus();
await changes.start(db, logger);
const appContext = { db, engine, changes, startedAt: new Date() };
setAppContext(appContext);
await ensureInitialAdmin(db.prisma, systemClock);

if (config.ORCHESTRATOR_DEMO) {
  const seeded = await seedDemoData(engine);
  const users = await ensureDemoUsers(db.prisma, systemClock);
  logger.info({ seeded, users }, "demo data");
}

// The execution engine: dispatcher (woken by committed changes), lease and parent sweeps, and
// the simulated executor in demo mode (ORCHESTRATOR_SIMULATOR=1/0 overrides). ORCHESTRATOR_ENGINE=0
// leaves dispatching to other instances (or freezes the board for tests).
const runner =
  process.env.ORCHESTRATOR_ENGINE === "0"
    ? null
    : await startEngine(db, engine, logger, {
        simulator: simulatorEnabled() ? simulatorOptionsFromEnv() : false,
        publicUrl: config.ORCHESTRATOR_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
      });

// Integrations: outbound webhooks (outbox sweep + delivery worker, client-intake notifier),
// recurring schedules, the daily archive. ORCHESTRATOR_INTEGRATIONS=0 leaves them to other instances.
const integrations = await startIntegrations(db, engine, changes, logger);

const nextApp = next({ dev, dir: process.cwd() });
await nextApp.prepare();
const handle = nextApp.getRequestHandler();

function handleRequest(req: IncomingMessage, res: ServerResponse): void {
  const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
  const started = process.hrtime.bigint();
  res.setHeader("x-request-id", requestId);
  // Rate limits and audit key on the client's address: take it from the socket, and from
  // X-Forwarded-For only behind a proxy we were told to trust.
  req.headers["x-real-ip"] = req.socket.remoteAddress ?? "unknown";
  if (!config.TRUST_PROXY) delete req.headers["x-forwarded-for"];
  res.on("finish", () => {
    if (req.url?.startsWith("/_next/")) return;
    logger.info(
      {
        requestId,
        method: req.method,
        url: req.url,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      },
      "request",
    );
  });
  void handle(req, res);
}

const server = createServer(handleRequest);
const io = attachSocketServer(server, changes, (headers) => authenticateHeaders(appContext, headers), logger);

server.listen(config.PORT, config.HOST, () => {
  logger.info(
    { port: config.PORT, database: db.kind, dev },
    `Task Orchestrator listening on http://localhost:${config.PORT}`,
  );
});

let stopping = false;
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
  await integrations.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await io.close();
  await closed;
  await changes.stop();
  await db.close();
  logger.info("stopped");
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
