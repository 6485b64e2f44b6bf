import { z } from "zod";

/** A query parameter given once, repeated, or comma-separated: its trimmed, non-empty parts. */
const commaList = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean),
);

/** A query parameter naming one of `values`, given once, repeated, or comma-separated: all become a list. */
export const listOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  commaList.pipe(z.array(z.enum(values, { error: `Unknown ${what}; one of ${values.join(", ")}` })).max(20));

/**
 * A list of ids matching `pattern` (once, repeated, or comma-separated), duplicates dropped, 1 to
 * `max` of them. Any problem is reported on the parameter itself, naming the bad ids.
 */
export const idList = (pattern: RegExp, what: string, max: number) =>
  commaList
    .transform((ids) => [...new Set(ids)])
    .superRefine((ids, ctx) => {
      const bad = ids.filter((id) => !pattern.test(id));
      if (bad.length > 0) {
        const shown = bad.slice(0, 5).join(", ") + (bad.length > 5 ? ` and ${bad.length - 5} more` : "");
        ctx.addIssue({ code: "custom", message: `Not ${what}: ${shown}` });
      }
      if (ids.length === 0) ctx.addIssue({ code: "custom", message: `Give at least one of ${what}` });
      if (ids.length > max)
        ctx.addIssue({ code: "custom", message: `At most ${max} ${what} (got ${ids.length})` });
    });
