import { describe, expect, it } from "vitest";
import { createTaskInput } from "@/lib/schemas/task-input";
import { EMPTY_TASK_FORM, toCreateInput } from "./task-form-model";

describe("toCreateInput", () => {
  it("sends only the title when nothing else is filled in", () => {
    expect(toCreateInput({ ...EMPTY_TASK_FORM, title: " Brief " })).toEqual({
      definition: { title: "Brief" },
    });
  });

  it("nests every filled field where the seed format puts it, and the API accepts it", () => {
    const input = toCreateInput({
      ...EMPTY_TASK_FORM,
      title: "Scoping",
      skill_target: "direction-technique",
      queue: "urgent",
      score: "70",
      factors: "vip, deadline ",
      estimated_duration_hours: "2.5",
      blocked_by: ["TASK-2026-000001"],
      parent_task: "TASK-2026-000002",
      client_name: "Acme",
      project_deadline: "2026-06-30",
      intake_id: "INK-1",
    });
    expect(input).toEqual({
      definition: { title: "Scoping", skill_target: "direction-technique" },
      queue: { name: "urgent" },
      priority: { score: 70, factors: ["vip", "deadline"] },
      execution: { estimated_duration_hours: 2.5 },
      dependencies: { blocked_by: ["TASK-2026-000001"], parent_task: "TASK-2026-000002" },
      context: { client: { name: "Acme" }, project: { deadline: "2026-06-30" } },
      intake_id: "INK-1",
    });
    expect(createTaskInput.safeParse(input).success).toBe(true);
  });

  it("reads estimated hours typed with a French decimal comma as 3.5, not 35", () => {
    const input = toCreateInput({ ...EMPTY_TASK_FORM, title: "T", estimated_duration_hours: "3,5" });
    expect(input.execution).toEqual({ estimated_duration_hours: 3.5 });
  });

  it("sends a number it cannot read as typed, for the server to name the field", () => {
    const input = toCreateInput({ ...EMPTY_TASK_FORM, title: "T", estimated_duration_hours: "3h" });
    expect(input.execution).toEqual({ estimated_duration_hours: "3h" });
    expect(createTaskInput.safeParse(input).success).toBe(false);
  });
});
