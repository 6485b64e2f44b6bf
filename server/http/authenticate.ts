import type { AppContext } from "../app-context";
import { principalFromBearer } from "../auth/api-keys";
import type { Principal } from "../auth/principal";
import { principalFromSession, SESSION_COOKIE } from "../auth/sessions";

export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
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
  const session = readCookie(headers.cookie, SESSION_COOKIE);
  return session ? principalFromSession(prisma, clock, session) : null;
}

export const authenticate = (app: AppContext, request: Request) =>
  authenticateHeaders(app, {
    authorization: request.headers.get("authorization"),
    cookie: request.headers.get("cookie"),
  });
