import type { DomainErrorCode, FieldError } from "../engine/errors";

/** The API's error body, for every 4xx: `{error: {code, message, fields}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields: FieldError[]; [key: string]: unknown };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_VERSION: 409,
  ILLEGAL_TRANSITION: 409,
  DEPENDENCY_CONFLICT: 409,
};

export function errorBody(
  code: string,
  message: string,
  fields: FieldError[] = [],
  extra: object = {},
): ApiErrorBody {
  return { error: { code, message, fields, ...extra } };
}
