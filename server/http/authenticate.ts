import type { AppContext } from "../app-context";
import { principalFromBearer } from "../auth/api-keys";
import type { Principal } from "../auth/principal";
import { principalFromSession, SESSION_COOKIE } from "../auth/sessions";
import { HttpError } from "./errors";

/** A cookie that is present but not valid percent-encoding (`%E0%A4%A`, `%`). */
export const MALFORMED = Symbol("malformed cookie");

function cookieValue(
  cookieHeader: string | null | undefined,
  name: string,
): string | typeof MALFORMED | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return MALFORMED;
    }
  }
  return undefined;
}

/** The cookie's decoded value; a malformed one counts as absent. */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  const value = cookieValue(cookieHeader, name);
  return value === MALFORMED ? undefined : value;
}

export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return match?.[1];
}

/** A bearer token (API key, admin token, wall token) wins over the session cookie. */
export async function authenticateHeaders(
  app: AppContext,
  headers: { authorization?: string | null; cookie?: string | null },
): Promise<Principal | null> {
  const { prisma, clock } = app.engine;
  const token = bearerToken(headers.authorization);
  if (token) return principalFromBearer(prisma, clock, token);
  const session = cookieValue(headers.cookie, SESSION_COOKIE);
  if (session === MALFORMED) {
    throw new HttpError(400, "MALFORMED_COOKIE", `The ${SESSION_COOKIE} cookie is not valid; log in again`, [
      { path: `cookie.${SESSION_COOKIE}`, message: "Invalid percent-encoding" },
    ]);
  }
  return session ? principalFromSession(prisma, clock, session) : null;
}

export const authenticate = (app: AppContext, request: Request) =>
  authenticateHeaders(app, {
    authorization: request.headers.get("authorization"),
    cookie: request.headers.get("cookie"),
  });
