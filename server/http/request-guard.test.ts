import { describe, expect, it } from "vitest";
import { refuseRequest } from "./request-guard";

describe("requests refused at the door", () => {
  it("refuses methods no route serves with 405", () => {
    for (const method of ["TRACE", "CONNECT", "PROPFIND", undefined]) {
      expect(refuseRequest(method, "/api/health")).toMatchObject({ status: 405, code: "METHOD_NOT_ALLOWED" });
    }
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      expect(refuseRequest(method, "/api/health")).toBeNull();
    }
  });

  it("refuses invalid percent-encoding in the path, and NUL in the path or the query", () => {
    expect(refuseRequest("POST", "/api/v1/tasks/%ff%fe/reorder")).toMatchObject({
      status: 400,
      code: "MALFORMED_URL",
    });
    expect(refuseRequest("GET", "/api/v1/tasks/%")).toMatchObject({ status: 400, code: "MALFORMED_URL" });
    expect(refuseRequest("GET", "/api/v1/tasks/a%00b")).toMatchObject({ status: 400, code: "VALIDATION" });
    expect(refuseRequest("GET", "/api/v1/tasks?q=%00")).toMatchObject({
      status: 400,
      fields: [{ path: "q" }],
    });
    expect(refuseRequest("GET", "/api/v1/tasks?%00=1")).toMatchObject({ status: 400 });
  });

  it("lets ordinary requests through, odd but valid queries included", () => {
    expect(refuseRequest("GET", "/api/v1/tasks?client=%5C&q=%25")).toBeNull();
    expect(refuseRequest("GET", "/api/v1/tasks?q=%E0%A4%A")).toBeNull();
    expect(refuseRequest("GET", "/tasks/TASK-2026-000001")).toBeNull();
  });
});
