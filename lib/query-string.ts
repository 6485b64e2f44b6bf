/**
 * A request's query string as an object for the zod schemas: an empty value (`?queue=`) counts
 * as absent, and a repeated key becomes an array (`?state=A&state=B`).
 */
export function queryObject(url: URL | string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of (typeof url === "string" ? new URL(url) : url).searchParams) {
    if (value.trim() === "") continue;
    const held = result[key];
    result[key] = held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
  }
  return result;
}
