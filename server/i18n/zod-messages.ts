import type { z } from "zod";
import type { ServerTranslator } from "./translate";

// Validation messages written for people, in the caller's language: "At most 64 characters" /
// "64 caractères au plus", instead of zod's "Too big: expected string to have <=64 characters".
// Used as zod's per-parse error map, so a schema's own message (`{ error: "…" }`) still wins.

type Issue = z.core.$ZodRawIssue;

const TYPES = ["string", "number", "int", "boolean", "array", "object", "date"] as const;

function typeWord(t: ServerTranslator, expected: string): string {
  return (TYPES as readonly string[]).includes(expected)
    ? t(`server.validation.types.${expected as (typeof TYPES)[number]}`)
    : t("server.validation.types.other", { type: expected });
}

const num = (value: unknown) => (typeof value === "bigint" ? Number(value) : (value as number));

export function zodErrorMap(t: ServerTranslator): (issue: Issue) => string | undefined {
  return (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined) return t("server.validation.required");
        return t("server.validation.type", { type: typeWord(t, String(issue.expected)) });
      case "too_big": {
        const max = num(issue.maximum);
        if (issue.origin === "string") return t("server.validation.maxChars", { max });
        if (issue.origin === "array" || issue.origin === "set")
          return t("server.validation.maxItems", { max });
        return issue.inclusive === false
          ? t("server.validation.lessThan", { max })
          : t("server.validation.max", { max });
      }
      case "too_small": {
        const min = num(issue.minimum);
        if (issue.origin === "string")
          return min === 1 ? t("server.validation.empty") : t("server.validation.minChars", { min });
        if (issue.origin === "array" || issue.origin === "set")
          return t("server.validation.minItems", { min });
        return issue.inclusive === false
          ? t("server.validation.moreThan", { min })
          : t("server.validation.min", { min });
      }
      case "invalid_format":
        if (issue.format === "email") return t("server.validation.email");
        if (issue.format === "url") return t("server.validation.url");
        if (issue.format === "datetime") return t("server.validation.datetime");
        if (issue.format === "date") return t("server.validation.date");
        return t("server.validation.format");
      case "invalid_value":
        return t("server.validation.oneOf", { values: issue.values.map(String).join(", ") });
      case "unrecognized_keys":
        return t("server.validation.unknownKeys", { count: issue.keys.length, keys: issue.keys.join(", ") });
      case "not_multiple_of":
        return t("server.validation.multipleOf", { divisor: num(issue.divisor) });
      case "invalid_union":
      case "invalid_key":
      case "invalid_element":
        return t("server.validation.invalid");
      default:
        return undefined;
    }
  };
}
