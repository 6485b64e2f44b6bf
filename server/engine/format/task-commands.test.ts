import { describe, expect, it } from "vitest";
import {
  instantiateTemplateInput,
  moveInput,
  reasonInput,
  reorderInput,
  setScoreInput,
  transitionInput,
} from "@/lib/schemas/task-commands";

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("command schemas", () => {
  it("validate bodies with field paths", () => {
    expect(transitionInput.parse({ to: "ON_HOLD", expected_version: 2 })).toEqual({
      to: "ON_HOLD",
      expected_version: 2,
    });
    expect(paths(transitionInput.safeParse({ to: "DONE" }))).toEqual(["to"]);
    expect(paths(reasonInput.safeParse({ reason: " " }))).toEqual(["reason"]);
    expect(paths(setScoreInput.safeParse({ score: 101 }))).toEqual(["score"]);
    expect(paths(setScoreInput.safeParse({ score: 1.5 }))).toEqual(["score"]);
    expect(paths(reorderInput.safeParse({}))).toEqual(["before"]);
    expect(paths(reorderInput.safeParse({ before: "TASK-2026-000001", after: "TASK-2026-000002" }))).toEqual([
      "before",
    ]);
    expect(reorderInput.safeParse({ after: "TASK-2026-000001" }).success).toBe(true);
    expect(paths(moveInput.safeParse({ queue: "nowhere" }))).toEqual(["queue"]);
    expect(paths(instantiateTemplateInput.safeParse({ context: { project: { deadline: "June" } } }))).toEqual(
      ["context.project.deadline"],
    );
  });
});
