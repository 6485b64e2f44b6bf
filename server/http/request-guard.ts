import type { IncomingMessage, ServerResponse } from "node:http";
import { errorBody } from "./errors";

// Requests refused at the door, before Next.js routes them: what no route can serve and what
// would otherwise surface as a 500 deep inside (Next's router, PostgreSQL's text type).
//
// - a method no route implements (TRACE, CONNECT, PROPFIND…) → 405 with Allow
// - a path segment that is not valid percent-encoding (`/api/v1/tasks/%ff%fe`) → 400
// - a NUL character anywhere in the path or the query (PostgreSQL text cannot hold it) → 400

export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export interface Refusal {
  status: number;
  code: string;
  message: string;
  fields: { path: string; message: string }[];
  headers?: Record<string, string>;
}

function decodesCleanly(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

export function refuseRequest(method: string | undefined, rawUrl: string | undefined): Refusal | null {
  if (!method || !(ALLOWED_METHODS as readonly string[]).includes(method)) {
    return {
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      message: `The ${method ?? "(missing)"} method is not supported; use one of ${ALLOWED_METHODS.join(", ")}`,
      fields: [{ path: "method", message: "Not supported" }],
      headers: { allow: ALLOWED_METHODS.join(", ") },
    };
  }
  const url = rawUrl ?? "/";
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const bad = path.split("/").find((segment) => !decodesCleanly(segment));
  if (bad !== undefined) {
    return {
      status: 400,
      code: "MALFORMED_URL",
      message: `The path segment "${bad.slice(0, 64)}" is not valid percent-encoding (UTF-8)`,
      fields: [{ path: "(path)", message: "Invalid percent-encoding" }],
    };
  }
  if (decodeURIComponent(path).includes("\u0000")) {
    return {
      status: 400,
      code: "VALIDATION",
      message: "The path contains a NUL character",
      fields: [{ path: "(path)", message: "NUL characters are not allowed" }],
    };
  }
  if (queryAt !== -1) {
    const params = new URLSearchParams(url.slice(queryAt + 1));
    for (const [key, value] of params) {
      if (key.includes("\u0000") || value.includes("\u0000")) {
        return {
          status: 400,
          code: "VALIDATION",
          message: `The query parameter ${key.replaceAll("\u0000", "\\0")} contains a NUL character`,
          fields: [{ path: key.replaceAll("\u0000", "\\0"), message: "NUL characters are not allowed" }],
        };
      }
    }
  }
  return null;
}

/** Answers a refused request with the API's error body; true when it did. */
export function answerRefusal(req: IncomingMessage, res: ServerResponse): boolean {
  const refusal = refuseRequest(req.method, req.url);
  if (!refusal) return false;
  const body = JSON.stringify(errorBody(refusal.code, refusal.message, refusal.fields));
  res.writeHead(refusal.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...refusal.headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
