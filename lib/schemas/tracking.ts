import { z } from "zod";
import type { FieldError } from "../field-error";
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, REPORT_FORMATS, REPORT_GROUPS } from "../metrics";
import { QUEUE_NAMES } from "../queues";

// Query parameters of the tracking endpoints (metrics, reports, audit). Each bad parameter is
// reported at its own name, so the API answers 400 with `fields: [{path: "from", ...}]`.
// The window defaults depend on the current time, so the window schemas are built for a `now`.

export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 366;
const DAY_MS = 86_400_000;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** An ISO 8601 calendar date (UTC midnight) or date-time with an offset (`Z` or `+02:00`). */
export const dateParam = z
  .string()
  .trim()
  .refine((v) => isoDate.safeParse(v).success || isoDateTime.safeParse(v).success, {
    message: "Not a date: use YYYY-MM-DD or an ISO 8601 date-time with offset (2026-01-15T10:00:00Z)",
  })
  .transform((v) => new Date(v));

const queueParam = z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` });

export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * Both bounds given: from must come first (the engine checks again once defaults are filled).
 * Zod runs this even when a bound failed to parse, so the bounds may still be raw strings.
 */
function fromBeforeTo(value: { from?: unknown; to?: unknown }, ctx: z.RefinementCtx): void {
  const { from, to } = value;
  if (from instanceof Date && to instanceof Date && from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
  }
}

/**
 * The window rules, shared by the API (through the engine) and the UI: defaults to = now,
 * from = to − 7 days; from < to; at most 366 days. Problems are named by parameter.
 */
export function resolveTimeWindow(
  input: { from?: Date; to?: Date },
  now: Date,
): { ok: true; window: TimeWindow } | { ok: false; fields: FieldError[] } {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    return {
      ok: false,
      fields: [
        { path: "from", message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` },
      ],
    };
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    return {
      ok: false,
      fields: [{ path: "from", message: `The window from → to is over ${MAX_WINDOW_DAYS} days` }],
    };
  }
  return { ok: true, window: { from, to } };
}

const windowShape = { from: dateParam.optional(), to: dateParam.optional() };

/** `GET /api/v1/metrics?from=&to=&queue=` (window defaults: resolveTimeWindow, in the engine). */
export const metricsQuery = z
  .object({ ...windowShape, queue: queueParam.optional() })
  .superRefine(fromBeforeTo);

export type MetricsQuery = z.output<typeof metricsQuery>;

/** `GET /api/v1/reports?group_by=&from=&to=&format=` */
export const reportQuery = z
  .object({
    ...windowShape,
    group_by: z
      .enum(REPORT_GROUPS, { error: `Unknown grouping; one of ${REPORT_GROUPS.join(", ")}` })
      .default("queue"),
    format: z
      .enum(REPORT_FORMATS, { error: `Unknown format; one of ${REPORT_FORMATS.join(", ")}` })
      .default("json"),
  })
  .superRefine(fromBeforeTo);

export type ReportQuery = z.output<typeof reportQuery>;

const limitParam = z
  .string()
  .trim()
  .regex(/^\d{1,6}$/, "Not a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1, "At least 1").max(AUDIT_PAGE_MAX, `At most ${AUDIT_PAGE_MAX}`));

/** `GET /api/v1/audit?task_id=&actor=&action=&from=&to=&cursor=&limit=` — no window default: the whole log. */
export const auditQuery = z
  .object({
    task_id: z
      .string()
      .trim()
      .regex(/^TASK-\d{4}-\d{6}$/, "Not a task id (TASK-YYYY-NNNNNN)")
      .optional(),
    actor: z.string().trim().min(1).max(200).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    ...windowShape,
    cursor: z
      .string()
      .trim()
      .regex(/^[1-9]\d{0,18}$/, "Not a cursor: pass the nextCursor of the previous page")
      .optional(),
    limit: limitParam.default(AUDIT_PAGE_DEFAULT),
  })
  .superRefine(fromBeforeTo);

export type AuditQuery = z.output<typeof auditQuery>;
