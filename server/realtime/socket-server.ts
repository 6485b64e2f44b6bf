import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { SOCKET_ENDED_EVENT, SOCKET_EVENT, SOCKET_GAP_EVENT, SOCKET_PRINCIPAL_EVENT } from "@/lib/events";
import type { CredentialChange } from "../auth/credential-changes";
import type { Principal } from "../auth/principal";
import { HttpError } from "../http/errors";
import type { Logger } from "../logger";
import type { ChangeBus } from "./change-bus";

const TASKS_ROOM = "tasks";

export type SocketAuthenticator = (headers: {
  authorization?: string | null;
  cookie?: string | null;
}) => Promise<Principal | null>;

/**
 * socket.io on the app's own HTTP server. A socket authenticates like an HTTP request (session
 * cookie, or a bearer token in `auth.token`); one without board:read is refused, so no
 * unauthenticated socket ever receives task data.
 */
/**
 * Pings every 2 s, dropped after 2.5 s without an answer: a client whose server went silent
 * (no close, e.g. a lost network) knows it within 5 s — the README's promise for the header's
 * "Reconnecting" (the defaults, 25 s + 20 s, left the UI saying "Live" for 45 s). A server that
 * stops closes its sockets, which the client hears at once.
 */
export const SOCKET_HEARTBEAT = { pingInterval: 2_000, pingTimeout: 2_500 } as const;

export function attachSocketServer(
  httpServer: HttpServer,
  changes: ChangeBus,
  authenticate: SocketAuthenticator,
  logger: Logger,
): Server {
  const io = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    ...SOCKET_HEARTBEAT,
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
      if (!principal.permissions.has("board:read")) return next(new Error("forbidden"));
      socket.data.principal = principal;
      // Kept to authenticate again when the credential changes (sockets follow their credential).
      socket.data.credential = token
        ? { authorization: `Bearer ${token}`, cookie: null }
        : { authorization: headers.authorization ?? null, cookie: headers.cookie ?? null };
      next();
    } catch (error) {
      logger.warn({ err: error }, "socket authentication failed");
      next(new Error("unauthorized"));
    }
  });

  io.on("connection", (socket) => {
    void socket.join(TASKS_ROOM);
  });
  // One message per batch of changes read (change-bus.ts), encoded once for the whole room: a
  // transaction's 50 completions are one frame per socket, not 50.
  changes.subscribeBatches((events) => {
    io.to(TASKS_ROOM).emit(SOCKET_EVENT, events);
  });
  changes.onGap(() => {
    io.to(TASKS_ROOM).emit(SOCKET_GAP_EVENT);
  });
  return io;
}

/**
 * Authenticates again the open sockets of a principal whose credential changed (every socket
 * when `change` is null): a socket whose credential no longer authenticates, or no longer
 * grants board:read, is told why and disconnected; one whose role changed carries the new one.
 */
export async function recheckSockets(
  io: Server,
  authenticate: SocketAuthenticator,
  change: CredentialChange | null,
  logger: Logger,
): Promise<void> {
  const sockets = await io.fetchSockets();
  await Promise.all(
    sockets
      .filter((socket) => {
        const held = socket.data.principal as Principal | undefined;
        return !change || (held?.kind === change.kind && held.id === change.id);
      })
      .map(async (socket) => {
        let principal: Principal | null = null;
        try {
          principal = await authenticate(socket.data.credential ?? {});
        } catch (error) {
          // The database did not answer: keep the socket, the next recheck decides.
          if (!(error instanceof HttpError)) {
            logger.warn({ err: error }, "socket re-authentication failed");
            return;
          }
        }
        if (!principal?.permissions.has("board:read")) {
          socket.emit(SOCKET_ENDED_EVENT, { reason: principal ? "forbidden" : "unauthorized" });
          socket.disconnect(true);
          return;
        }
        const held = socket.data.principal as Principal | undefined;
        socket.data.principal = principal;
        if (held?.role !== principal.role || !samePermissions(held.permissions, principal.permissions)) {
          // Downgraded (or upgraded): the client refetches who it is and what it may do.
          socket.emit(SOCKET_PRINCIPAL_EVENT, {
            role: principal.role,
            permissions: [...principal.permissions],
          });
        }
      }),
  );
}

function samePermissions(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((p) => b.has(p));
}
