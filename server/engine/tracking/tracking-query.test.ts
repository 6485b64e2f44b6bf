import { describe, expect, it } from "vitest";
import { queryObject } from "@/lib/query-string";
import { auditQuery, metricsQuery, reportQuery } from "@/lib/schemas/tracking";
import { HttpError } from "@/server/http/errors";
import { parseInput } from "@/server/http/read-json";
import { isDomainError } from "../errors";
import { resolveWindow } from "./metrics-collector";

// The query parameters of /api/v1/metrics, /reports and /audit, parsed as the routes do
// (parseInput → 400 naming the parameter), and the window rules the engine applies.

const NOW = new Date("2026-03-10T12:00:00Z");

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return error.fields.map((f) => f.path);
    throw error;
  }
  throw new Error("expected a 400");
}

const params = (qs: string) => queryObject(`http://localhost/api/v1/metrics?${qs}`);

describe("metricsQuery", () => {
  it("reads dates, date-times with offset and a queue; empty values count as absent", () => {
    expect(parseInput(metricsQuery, params(""))).toEqual({});
    expect(parseInput(metricsQuery, params("from=2026-03-01&to=2026-03-08T02:00:00%2B02:00&queue="))).toEqual(
      {
        from: new Date("2026-03-01T00:00:00Z"),
        to: new Date("2026-03-08T00:00:00Z"),
      },
    );
    expect(parseInput(metricsQuery, params("queue=urgent")).queue).toBe("urgent");
  });

  it("answers 400 naming the parameter", () => {
    expect(fieldsOf(() => parseInput(metricsQuery, params("from=yesterday")))).toEqual(["from"]);
    expect(fieldsOf(() => parseInput(metricsQuery, params("to=2026-02-30")))).toEqual(["to"]);
    // a date-time without offset is ambiguous
    expect(fieldsOf(() => parseInput(metricsQuery, params("from=2026-03-01T10:00:00")))).toEqual(["from"]);
    expect(fieldsOf(() => parseInput(metricsQuery, params("queue=vip")))).toEqual(["queue"]);
    expect(fieldsOf(() => parseInput(metricsQuery, params("from=2026-03-08&to=2026-03-01")))).toEqual([
      "from",
    ]);
    expect(fieldsOf(() => parseInput(metricsQuery, params("from=2026-03-08&to=2026-03-08")))).toEqual([
      "from",
    ]);
  });
});

describe("resolveWindow (defaults from the clock, limits)", () => {
  const fieldOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      if (isDomainError(error) && error.code === "VALIDATION") return error.details.fields?.[0]?.path;
      throw error;
    }
    throw new Error("expected VALIDATION");
  };

  it("defaults to the last 7 days before now, or before `to`", () => {
    expect(resolveWindow(NOW, {})).toEqual({ from: new Date("2026-03-03T12:00:00Z"), to: NOW });
    expect(resolveWindow(NOW, { to: new Date("2026-03-05T00:00:00Z") })).toEqual({
      from: new Date("2026-02-26T00:00:00Z"),
      to: new Date("2026-03-05T00:00:00Z"),
    });
  });

  it("refuses from ≥ to and windows over 366 days, naming `from`", () => {
    // from after the default `to` (now)
    expect(fieldOf(() => resolveWindow(NOW, { from: new Date("2026-04-01T00:00:00Z") }))).toBe("from");
    expect(
      fieldOf(() =>
        resolveWindow(NOW, { from: new Date("2025-01-01T00:00:00Z"), to: new Date("2026-01-03T00:00:00Z") }),
      ),
    ).toBe("from");
    // 366 days exactly is allowed
    expect(
      resolveWindow(NOW, { from: new Date("2025-01-01T00:00:00Z"), to: new Date("2026-01-02T00:00:00Z") }).to,
    ).toEqual(new Date("2026-01-02T00:00:00Z"));
  });
});

describe("reportQuery", () => {
  it("defaults to group_by=queue, format=json", () => {
    expect(parseInput(reportQuery, params(""))).toEqual({ group_by: "queue", format: "json" });
    expect(parseInput(reportQuery, params("group_by=week&format=csv"))).toMatchObject({
      group_by: "week",
      format: "csv",
    });
  });

  it("rejects an unknown grouping or format", () => {
    expect(fieldsOf(() => parseInput(reportQuery, params("group_by=month")))).toEqual(["group_by"]);
    expect(fieldsOf(() => parseInput(reportQuery, params("format=xlsx")))).toEqual(["format"]);
  });
});

describe("auditQuery", () => {
  it("reads filters, a cursor and a limit (default 50)", () => {
    expect(parseInput(auditQuery, params(""))).toEqual({ limit: 50 });
    expect(
      parseInput(
        auditQuery,
        params(
          "task_id=TASK-2026-000001&actor=user:marie&action=task.edited&cursor=42&limit=200&from=2026-03-01",
        ),
      ),
    ).toEqual({
      task_id: "TASK-2026-000001",
      actor: "user:marie",
      action: "task.edited",
      cursor: "42",
      limit: 200,
      from: new Date("2026-03-01T00:00:00Z"),
    });
  });

  it("answers 400 naming the parameter", () => {
    expect(fieldsOf(() => parseInput(auditQuery, params("limit=0")))).toEqual(["limit"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("limit=201")))).toEqual(["limit"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("limit=ten")))).toEqual(["limit"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("limit=-1")))).toEqual(["limit"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("cursor=abc")))).toEqual(["cursor"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("task_id=42")))).toEqual(["task_id"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("from=nope")))).toEqual(["from"]);
    expect(fieldsOf(() => parseInput(auditQuery, params("from=2026-03-02&to=2026-03-01")))).toEqual(["from"]);
  });
});
