/**
 * A value for Prisma's `contains` / `equals … mode: "insensitive"` filters, which PostgreSQL runs
 * as (I)LIKE without escaping: a user's `%` would match everything, `_` any character, and a
 * trailing `\` is a syntax error (a 500). Escaped, the filter matches the text literally.
 */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, "\\$&");
}
