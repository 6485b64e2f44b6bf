import { describe, expect, it } from "vitest";
import { createTaskInput, updateTaskInput } from "@/lib/schemas/task-input";
import { createTask } from "../queue/create-task";
import { scheduleTask, startTask } from "../state/lifecycle";
import { EXECUTOR, SYSTEM, setupEngine } from "../state/test-support";
import { advanceStep } from "../state/workflow-engine";
import { loadSeedTask } from "./seed-format";

const h = setupEngine();

/** The seed's "Format de Tâche Standard", verbatim. */
const SEED_EXAMPLE = {
  task: {
    id: "TASK-2024-001234",
    intake_id: "INK-2024-001234",
    created_at: "2024-01-15T10:35:00Z",
    definition: {
      title: "Analyse brief projet e-commerce",
      description: "Analyser le brief client pour projet de refonte e-commerce",
      type: "analysis",
      skill_target: "project-management",
      entry_point: "avant-projet/brief-analysis",
    },
    state: {
      current: "IN_PROGRESS",
      previous: "SCHEDULED",
      changed_at: "2024-01-15T11:00:00Z",
      history: [
        { state: "CREATED", at: "2024-01-15T10:35:00Z" },
        { state: "QUEUED", at: "2024-01-15T10:35:05Z" },
        { state: "SCHEDULED", at: "2024-01-15T10:45:00Z" },
        { state: "IN_PROGRESS", at: "2024-01-15T11:00:00Z" },
      ],
    },
    queue: {
      name: "high_priority",
      position: 0,
      entered_at: "2024-01-15T10:35:05Z",
      sla_deadline: "2024-01-15T18:35:00Z",
    },
    priority: { score: 78, factors: ["existing_client", "deadline_soon"] },
    execution: {
      started_at: "2024-01-15T11:00:00Z",
      estimated_duration_hours: 2,
      progress_percent: 45,
      current_step: "requirements_extraction",
      assigned_to: "pm_team",
    },
    dependencies: { blocked_by: [], blocks: ["TASK-2024-001235"], parent_task: null, subtasks: [] },
    context: {
      client: { name: "StartupIO", contact: "Marie Martin" },
      project: { type: "ecommerce", budget_range: "15k-25k", deadline: "2024-06-30" },
    },
    output: { deliverables: [], notes: [], next_actions: [] },
    metadata: { version: 3, last_updated: "2024-01-15T11:30:00Z", updated_by: "task-orchestrator/execution" },
  },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys only, recursively: objects must have the same keys; arrays compare their first element's shape. */
function shape(value: unknown): Json {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return "leaf";
}

describe("the seed task format", () => {
  it("renders a task with exactly the seed example's keys, recursively", async () => {
    h.clock.set("2024-01-15T10:35:00Z");
    const input = createTaskInput.parse({
      intake_id: "INK-2024-001234",
      definition: SEED_EXAMPLE.task.definition,
      queue: { name: "high_priority" },
      priority: { factors: ["existing_client", "deadline_soon"] },
      execution: { estimated_duration_hours: 2, assigned_to: "pm_team" },
      context: SEED_EXAMPLE.task.context,
    });
    const task = await createTask(h.ctx, input, SYSTEM);
    const next = await createTask(
      h.ctx,
      { definition: { title: "Tech scoping" }, dependencies: { blocked_by: [task.id] } },
      SYSTEM,
    );
    h.clock.set("2024-01-15T10:45:00Z");
    await scheduleTask(h.ctx, task.id, SYSTEM);
    h.clock.set("2024-01-15T11:00:00Z");
    await startTask(h.ctx, task.id, EXECUTOR);
    h.clock.set("2024-01-15T11:30:00Z");
    await advanceStep(h.ctx, task.id, { id: "task-orchestrator/execution", role: "system" });

    const t = await loadSeedTask(h.ctx.prisma, task.id);
    if (!t) throw new Error("task not found");
    expect(shape({ task: t })).toEqual(shape(SEED_EXAMPLE));
    // The ISO-8601 timestamps and the values the example can share.
    expect(t.id).toMatch(/^TASK-2024-\d{6}$/);
    expect(t.state).toEqual({
      current: "IN_PROGRESS",
      previous: "SCHEDULED",
      changed_at: "2024-01-15T11:00:00.000Z",
      history: [
        { state: "CREATED", at: "2024-01-15T10:35:00.000Z" },
        { state: "QUEUED", at: "2024-01-15T10:35:00.000Z" },
        { state: "SCHEDULED", at: "2024-01-15T10:45:00.000Z" },
        { state: "IN_PROGRESS", at: "2024-01-15T11:00:00.000Z" },
      ],
    });
    expect(t.queue).toEqual({
      name: "high_priority",
      position: null,
      entered_at: "2024-01-15T10:35:00.000Z",
      sla_deadline: "2024-01-15T18:35:00.000Z",
    });
    expect(t.priority).toEqual(SEED_EXAMPLE.task.priority);
    expect(t.execution).toMatchObject({
      current_step: "requirements_extraction",
      progress_percent: 25,
      assigned_to: "pm_team",
    });
    expect(t.dependencies).toEqual({ blocked_by: [], blocks: [next.id], parent_task: null, subtasks: [] });
    expect(t.context).toEqual(SEED_EXAMPLE.task.context);
    expect(t.metadata).toMatchObject({
      last_updated: "2024-01-15T11:30:00.000Z",
      updated_by: "task-orchestrator/execution",
    });
  });

  it("parses the writable subset, reporting field paths", () => {
    const bad = createTaskInput.safeParse({
      definition: { title: "" },
      queue: { name: "nowhere" },
      priority: { score: 101 },
      dependencies: { blocked_by: ["TASK-1"] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "definition.title",
      "dependencies.blocked_by.0",
      "priority.score",
      "queue.name",
    ]);
  });

  it("parses a PATCH with its expected version; refuses unknown fields and empty edits", () => {
    const ok = updateTaskInput.parse({
      expected_version: 3,
      definition: { title: " New title " },
      execution: { assigned_to: null },
      context: { project: { deadline: "2026-06-30" } },
    });
    expect(ok.definition?.title).toBe("New title");
    expect(updateTaskInput.safeParse({ definition: { title: "x" } }).error?.issues[0]?.path).toEqual([
      "expected_version",
    ]);
    expect(updateTaskInput.safeParse({ expected_version: 1 }).success).toBe(false);
    expect(updateTaskInput.safeParse({ expected_version: 1, definition: { id: "x" } }).success).toBe(false);
    expect(updateTaskInput.safeParse({ expected_version: 1, state: { current: "COMPLETED" } }).success).toBe(
      false,
    );
  });
});
