import { describe, expect, it } from "vitest";
import { z } from "zod";
import { responseContractViolation } from "./response-contract";

const schema = z.object({
  task: z.object({ id: z.string(), at: z.string(), tags: z.array(z.object({ name: z.string() })) }),
});

describe("response contract check", () => {
  it("accepts an answer exactly as documented (dates as the JSON strings they become)", () => {
    const at = new Date("2026-11-24T10:00:00Z");
    expect(responseContractViolation(schema, { task: { id: "T", at, tags: [{ name: "a" }] } })).toBeNull();
  });

  it("names a field of the wrong type or missing", () => {
    expect(responseContractViolation(schema, { task: { id: 1, at: "x", tags: [] } })).toContain("task.id");
    expect(responseContractViolation(schema, { task: { id: "T", tags: [] } })).toContain("task.at");
  });

  it("names fields the schema does not document, however deep", () => {
    const answer = { task: { id: "T", at: "x", secret: 1, tags: [{ name: "a", colour: "red" }] } };
    expect(responseContractViolation(schema, answer)).toBe(
      "fields not in the schema: task.secret, task.tags[0].colour",
    );
  });
});
