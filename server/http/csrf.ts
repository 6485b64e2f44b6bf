import { HttpError } from "./errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated writes must come from this site's own pages: the Origin header (or, when
 * a browser omits it, Sec-Fetch-Site) must name this origin. SameSite=Lax cookies are the
 * first line; this is the second. Bearer-token calls carry no ambient credentials and skip it.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new HttpError(403, "CSRF", "Cross-site request refused: bad Origin header");
    }
    if (originHost === host) return;
    throw new HttpError(403, "CSRF", "Cross-site request refused: Origin does not match this site");
  }
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  throw new HttpError(
    403,
    "CSRF",
    "Cross-site request refused: no Origin header on a cookie-authenticated write",
  );
}
