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
  return parseInput(schema, json, locale);
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
