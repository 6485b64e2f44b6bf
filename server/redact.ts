// Secrets that may ride in a URL's query string (the wall display's ?token=, a signed link's
// signature…) are masked wherever a URL is logged. The names are matched loosely on purpose:
// a parameter that merely looks like a secret is masked too.

const SECRET_PARAM = /token|key|secret|password|passwd|signature|sig$|auth|session|code/i;
export const REDACTED = "[REDACTED]";

/** The URL (absolute or a path with a query) with the values of secret-looking parameters masked. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf("?");
  if (queryAt === -1) return url;
  const hashAt = url.indexOf("#", queryAt);
  const query = url.slice(queryAt + 1, hashAt === -1 ? undefined : hashAt);
  const masked = query
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq === -1) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replaceAll("+", " "));
      } catch {
        /* an undecodable name is checked as it is */
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join("&");
  return `${url.slice(0, queryAt)}?${masked}${hashAt === -1 ? "" : url.slice(hashAt)}`;
}
