import { describe, expect, it } from "vitest";
import { REDACTED, redactUrl } from "./redact";

describe("redactUrl", () => {
  it("masks secret-looking query parameters and keeps the rest", () => {
    expect(redactUrl("/wall?token=tok_abc123&theme=dark")).toBe(`/wall?token=${REDACTED}&theme=dark`);
    expect(redactUrl("/x?api_key=1&Secret=2&password=3&sig=4&q=board")).toBe(
      `/x?api_key=${REDACTED}&Secret=${REDACTED}&password=${REDACTED}&sig=${REDACTED}&q=board`,
    );
    expect(redactUrl("https://h.example/cb?access%5Ftoken=s3cr3t#frag")).toBe(
      `https://h.example/cb?access%5Ftoken=${REDACTED}#frag`,
    );
  });

  it("leaves URLs without a query, and parameters without a value, alone", () => {
    expect(redactUrl("/api/v1/tasks/TASK-2026-000001")).toBe("/api/v1/tasks/TASK-2026-000001");
    expect(redactUrl("/x?token")).toBe("/x?token");
    expect(redactUrl("/x?%E0%A4%A=1")).toBe("/x?%E0%A4%A=1");
  });
});
