/** Secure whenever the site is served over HTTPS (directly or behind a proxy), or when forced. */
function isSecure(request: Request): boolean {
  if (process.env.COOKIE_SECURE === "1") return true;
  if (process.env.COOKIE_SECURE === "0") return false;
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return proto === "https";
}

export function sessionCookie(request: Request, name: string, token: string, expiresAt: Date): string {
  const parts = [
    `${name}=${encodeURIComponent(token)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (isSecure(request)) parts.push("Secure");
  return parts.join("; ");
}

export function expiredSessionCookie(request: Request, name: string): string {
  return sessionCookie(request, name, "", new Date(0));
}

/** The client's address as the proxy in front saw it, else the socket's (set by server/main.ts). */
export function clientIp(request: Request): string {
  return (
    request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ||
    request.headers.get("x-real-ip") ||
    "unknown"
  );
}
