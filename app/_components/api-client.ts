import type { FieldError } from "@/lib/field-error";

/** An API error as the UI shows it: the message, the field paths the server named, and its extra details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const isConflict = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status === 409;

/**
 * A bearer token sent with every request of this tab (the wall display's `?token=`); pages behind
 * the login use the session cookie instead.
 */
let bearerToken: string | null = null;

export function setApiBearerToken(token: string | null): void {
  // Only in the browser: on the server this module is shared by every request.
  if (typeof window !== "undefined") bearerToken = token;
}

export function apiBearerToken(): string | null {
  return bearerToken;
}

export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: {
      accept: "application/json",
      ...(init?.body ? { "content-type": "application/json" } : {}),
      ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}),
      ...init?.headers,
    },
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; fields?: FieldError[] } & Record<string, unknown> })
    | null;
  if (!response.ok) {
    const { code, message, fields, ...details } = body?.error ?? { code: "", message: "" };
    throw new ApiError(
      response.status,
      code || "HTTP_ERROR",
      message || response.statusText || `HTTP ${response.status}`,
      fields ?? [],
      details,
    );
  }
  return body as T;
}

/** A JSON write: POST by default. */
export function apiSend<T>(path: string, body?: unknown, method: "POST" | "PATCH" | "DELETE" = "POST") {
  return apiFetch<T>(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** `?a=1&b=2` from an object, leaving out empty values; "" when nothing is left. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** A message for an error, whatever threw it. */
/** An error's message (the server writes it in the caller's language). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong";
}
