import { z } from "zod";

/** A query parameter naming one of `values`, given once, repeated, or comma-separated: all become a list. */
export const listOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: `Unknown ${what}; one of ${values.join(", ")}` })).max(20));
