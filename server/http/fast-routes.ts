import type { IncomingMessage, ServerResponse } from "node:http";
import { securityHeaders } from "@/lib/security-headers.js";
import { errorBody } from "./errors";

// The machine API's hot routes, answered in this process without Next's route runtime: at 100
// changes/s Next's routing, tracing and app-route machinery cost more than the work itself.
// Nothing is copied: each entry imports the route module Next would run (app/api/v1/…/route.ts)
// and calls its exported handler with a Web Request, so authentication, CSRF, the rate limit,
// idempotency, validation and the 503 answers (handle.ts → api-route.ts) are the same code.
// Every other request, and any path that does not match exactly (a trailing slash, `//`),
// goes to Next as before.

type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;
type RouteModule = { POST: RouteHandler };

interface FastRoute {
  method: "POST";
  /** Next's file-system path: `[id]` is a parameter. */
  path: string;
  load: () => Promise<RouteModule>;
}

export const FAST_ROUTES: readonly FastRoute[] = [
  { method: "POST", path: "/api/v1/tasks", load: () => import("@/app/api/v1/tasks/route") },
  { method: "POST", path: "/api/v1/workers/claim", load: () => import("@/app/api/v1/workers/claim/route") },
  {
    method: "POST",
    path: "/api/v1/workers/complete",
    load: () => import("@/app/api/v1/workers/complete/route"),
  },
  {
    method: "POST",
    path: "/api/v1/workers/tasks/[id]/heartbeat",
    load: () => import("@/app/api/v1/workers/tasks/[id]/heartbeat/route"),
  },
  {
    method: "POST",
    path: "/api/v1/workers/tasks/[id]/complete",
    load: () => import("@/app/api/v1/workers/tasks/[id]/complete/route"),
  },
  {
    method: "POST",
    path: "/api/v1/workers/tasks/[id]/fail",
    load: () => import("@/app/api/v1/workers/tasks/[id]/fail/route"),
  },
  {
    method: "POST",
    path: "/api/v1/workers/tasks/[id]/block",
    load: () => import("@/app/api/v1/workers/tasks/[id]/block/route"),
  },
];

interface Loaded {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

let loaded: Loaded[] | null = null;

/** Imports every route module once at start-up: a broken import stops the server, not a request. */
export async function loadFastRoutes(): Promise<void> {
  loaded = await Promise.all(
    FAST_ROUTES.map(async (route) => ({
      method: route.method,
      segments: route.path.split("/"),
      handler: (await route.load()).POST,
    })),
  );
}

export interface FastMatch {
  handler: RouteHandler;
  params: Record<string, string>;
}

/** The table's entry for this method and path (query ignored), with its decoded parameters. */
export function matchFastRoute(method: string | undefined, rawUrl: string | undefined): FastMatch | null {
  if (!loaded || !rawUrl) return null;
  const queryAt = rawUrl.indexOf("?");
  const segments = (queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt)).split("/");
  for (const route of loaded) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.segments.every((pattern, i) => {
      const segment = segments[i] as string;
      if (pattern.startsWith("[")) {
        if (!segment) return false;
        // request-guard.ts has refused segments that are not valid percent-encoding.
        params[pattern.slice(1, -1)] = decodeURIComponent(segment);
        return true;
      }
      return pattern === segment;
    });
    if (matches) return { handler: route.handler, params };
  }
  return null;
}

/**
 * The Web Request Next would give the route: the request's headers with the `x-forwarded-*`
 * defaults Next fills in (base-server.ts; csrf.ts and session-cookie.ts read them), the body
 * streamed from the socket, and a signal that aborts when the client goes away before the
 * answer is sent (a long-poll claim stops waiting on it).
 */
function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new Error("The client closed the connection"));
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const https = "encrypted" in req.socket && Boolean(req.socket.encrypted);
  const host = req.headers.host || "localhost";
  if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", host);
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", https ? "https" : "http");
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) {
    headers.set("x-forwarded-for", req.socket.remoteAddress);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `${https ? "https" : "http"}://${host}`);
  } catch {
    url = new URL(req.url ?? "/", "http://localhost"); // a Host header that is not a host
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    signal: controller.signal,
    // undici reads an async iterable body as a stream, only as far as the route reads it.
    body: hasBody ? (req as unknown as BodyInit) : null,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}

// As Next's send-response.ts: framing headers are this server's to set; these may repeat.
const FRAMING = new Set(["content-length", "content-encoding", "transfer-encoding"]);
const REPEATABLE = new Set(["www-authenticate", "proxy-authenticate", "vary"]);

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Writes a Web Response to the Node response as Next does: status, the security headers first
 * (headers already set, such as x-request-id, are kept), every Set-Cookie, the body streamed
 * with back-pressure. A one-chunk body (every JSON answer) goes out with its Content-Length.
 */
async function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  security: { key: string; value: string }[],
): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const { key, value } of security) res.setHeader(key, value);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || FRAMING.has(name)) continue;
    if (REPEATABLE.has(name) || !res.hasHeader(name)) res.appendHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.appendHeader("set-cookie", cookies);
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.once("close", () => {
    if (!res.writableFinished) void reader.cancel().catch(() => {});
  });
  let held: Uint8Array | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (res.destroyed) return;
    if (held && !res.write(held)) await drained(res);
    held = value;
  }
  res.end(held);
}

/** The security headers, built once per mode. */
const headerLists = new Map<boolean, { key: string; value: string }[]>();

/**
 * Answers a matched request through its route module. The route turns every error it can into
 * an answer (api-route.ts); what is left here is a bug in the adapter: a 500, or a cut
 * connection once the answer has begun.
 */
export async function serveFastRoute(
  match: FastMatch,
  req: IncomingMessage,
  res: ServerResponse,
  options: { dev: boolean; onError: (error: unknown) => void },
): Promise<void> {
  const security = headerLists.get(options.dev) ?? securityHeaders(options.dev);
  headerLists.set(options.dev, security);
  try {
    const response = await match.handler(webRequest(req, res), { params: Promise.resolve(match.params) });
    await writeResponse(req, res, response, security);
  } catch (error) {
    options.onError(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const { key, value } of security) res.setHeader(key, value);
    const body = JSON.stringify(errorBody("INTERNAL", "Internal error"));
    res.writeHead(500, { "content-type": "application/json" }).end(body);
  }
}
