import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { SOCKET_EVENT } from "@/lib/events";
import type { Principal } from "../auth/principal";
import type { Logger } from "../logger";
import type { ChangeBus } from "./change-bus";

const TASKS_ROOM = "tasks";

export type SocketAuthenticator = (headers: {
  authorization?: string | null;
  cookie?: string | null;
}) => Promise<Principal | null>;

/**
 * socket.io on the app's own HTTP server. A socket authenticates like an HTTP request (session
 * cookie, or a bearer token in `auth.token`); one without tasks:read is refused, so no
 * unauthenticated socket ever receives task data.
 */
export function attachSocketServer(
  httpServer: HttpServer,
  changes: ChangeBus,
  authenticate: SocketAuthenticator,
  logger: Logger,
): Server {
  // Pings every 2 s, dropped after 2.5 s without an answer: a client knows it lost the server
  // within 5 s (the defaults, 25 s + 20 s, left the UI saying "Live" for 45 s).
  const io = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    pingInterval: 2_000,
    pingTimeout: 2_500,
  });

  io.use(async (socket, next) => {
    try {
      const { headers, auth } = socket.handshake;
      const token = typeof auth?.token === "string" ? auth.token : undefined;
      const principal = await authenticate({
        authorization: token ? `Bearer ${token}` : (headers.authorization ?? null),
        cookie: token ? null : (headers.cookie ?? null),
      });
      // A cookie-authenticated socket from another site would be cross-site WebSocket hijacking.
      if (principal?.via === "cookie" && headers.origin && new URL(headers.origin).host !== headers.host) {
        return next(new Error("forbidden: cross-site socket"));
      }
      if (!principal) return next(new Error("unauthorized"));
      if (!principal.permissions.has("tasks:read")) return next(new Error("forbidden"));
      socket.data.principal = principal;
      next();
    } catch (error) {
      logger.warn({ err: error }, "socket authentication failed");
      next(new Error("unauthorized"));
    }
  });

  io.on("connection", (socket) => {
    void socket.join(TASKS_ROOM);
  });
  changes.subscribe((event) => {
    io.to(TASKS_ROOM).emit(SOCKET_EVENT, event);
  });
  return io;
}
