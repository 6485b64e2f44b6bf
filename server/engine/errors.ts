// Domain errors are values with codes; the HTTP layer maps each code to a status once.

export type DomainErrorCode =
  | "VALIDATION"
  | "NOT_FOUND"
  | "CONFLICT"
  | "STALE_VERSION"
  | "ILLEGAL_TRANSITION"
  | "DEPENDENCY_CONFLICT"
  | "FORBIDDEN"
  | "UNAUTHENTICATED";

import type { FieldError } from "@/lib/field-error";

export type { FieldError };

export class DomainError extends Error {
  readonly isDomainError = true;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { fields?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Works across module copies (Next's route bundle has its own), unlike `instanceof`. */
export function isDomainError(error: unknown): error is DomainError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { isDomainError?: unknown }).isDomainError === true
  );
}

export const validationError = (fields: FieldError[]) =>
  new DomainError("VALIDATION", fields.map((f) => `${f.path}: ${f.message}`).join("; "), { fields });

export const notFound = (what: string, id: string) =>
  new DomainError("NOT_FOUND", `${what} ${id} does not exist`, { id });
