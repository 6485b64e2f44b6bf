import type { z } from "zod";
import type { Locale } from "@/lib/i18n/locales";
import { serverTranslator } from "../i18n/translate";
import { zodErrorMap } from "../i18n/zod-messages";
import { HttpError } from "./errors";

export const MAX_BODY_BYTES = 1_000_000;

function zodPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".") || "(body)";
}

/**
 * Parses and validates a JSON body: 415 for another type, 413 when too large, 400 naming the
 * field, its message written for people in `locale`.
 */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  locale: Locale = "en",
): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES)
    throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Body over ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Body over ${MAX_BODY_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "MALFORMED_JSON", `The body is not valid JSON: ${(error as Error).message}`, [
      { path: "(body)", message: "Malformed JSON" },
    ]);
  }
  const nul = pathOfNul(json);
  if (nul !== null) {
    throw new HttpError(400, "VALIDATION", `${nul}: NUL characters are not allowed`, [
      { path: nul, message: "NUL characters are not allowed" },
    ]);
  }
  return parseInput(schema, json, locale);
}

/**
 * Where a NUL character (\u0000) sits in a JSON value (a key or a string), or null. PostgreSQL's
 * text cannot store it: refused here, naming the field, rather than a 500 from the database.
 */
export function pathOfNul(value: unknown, path: string[] = []): string | null {
  const here = () => path.join(".") || "(body)";
  if (typeof value === "string") return value.includes("\u0000") ? here() : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = pathOfNul(item, [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\0")].join(".");
      const found = pathOfNul(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  locale: Locale = "en",
): z.infer<S> {
  const result = schema.safeParse(value, { error: zodErrorMap(serverTranslator(locale)) });
  if (!result.success) {
    const fields = result.error.issues.map((issue) => ({
      path: zodPath(issue.path),
      message: issue.message,
    }));
    throw new HttpError(400, "VALIDATION", fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
  }
  return result.data;
}
