import { describe, expect, it } from "vitest";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import { cancelTask } from "../state/rollback-manager";
import {
  expectDomainError,
  historyOf,
  MANAGER,
  newTask,
  SYSTEM,
  setupEngine,
  taskInput,
} from "../state/test-support";
import { createTask } from "./create-task";

const h = setupEngine();

describe("createTask", () => {
  it("creates a QUEUED task in the named queue with its SLA, history, audit and event", async () => {
    const task = await newTask(h.ctx, { queue: { name: "urgent" } });
    expect(task.id).toMatch(/^TASK-2026-\d{6}$/);
    expect(task.state).toBe("QUEUED");
    expect(task.previousState).toBe("CREATED");
    expect(task.version).toBe(2);
    expect(task.queueName).toBe("urgent");
    expect(task.queueEnteredAt.toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(task.slaDeadline?.toISOString()).toBe("2026-03-02T11:00:00.000Z");
    expect(task.updatedBy).toBe(SYSTEM.id);
    expect((await historyOf(h.ctx, task.id)).map((r) => [r.fromState, r.state, r.version])).toEqual([
      [null, "CREATED", 1],
      ["CREATED", "QUEUED", 2],
    ]);
    const audit = await h.ctx.prisma.auditLog.findMany({
      where: { taskId: task.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["task.created", "task.queued"]);
    const events = await h.ctx.prisma.event.findMany({ where: { taskId: task.id } });
    expect(events.map((e) => [e.type, e.version])).toEqual([["task.queued", 2]]);
  });

  it("derives score and queue from the factors when no queue is named", async () => {
    const cases: [string[], number, string][] = [
      [["existing_client", "deadline_soon"], 78, "high_priority"],
      [["production_incident"], 95, "critical"],
      [["security"], 90, "critical"],
      [["deadline_passed"], 80, "urgent"],
      [["vip_client"], 65, "high_priority"],
      [[], 50, "normal"],
      [["nice_to_have"], 25, "low_priority"],
      [["best_effort"], 10, "backlog"],
    ];
    for (const [factors, score, queue] of cases) {
      const task = await createTask(
        h.ctx,
        { definition: { title: "Mapped" }, priority: { factors } },
        SYSTEM,
      );
      expect([task.priorityScore, task.queueName, task.priorityFactors]).toEqual([score, queue, factors]);
    }
  });

  it("adds deadline factors from the project deadline, and keeps an explicit score as given", async () => {
    const soon = await createTask(
      h.ctx,
      { definition: { title: "Soon" }, context: { project: { deadline: "2026-03-10" } } },
      SYSTEM,
    );
    expect([soon.priorityScore, soon.priorityFactors]).toEqual([70, ["deadline_soon"]]);
    const passed = await createTask(
      h.ctx,
      {
        definition: { title: "Late" },
        priority: { factors: ["deadline_soon"] },
        context: { project: { deadline: "2026-02-01" } },
      },
      SYSTEM,
    );
    expect([passed.priorityScore, passed.priorityFactors]).toEqual([80, ["deadline_passed"]]);
    const explicit = await createTask(
      h.ctx,
      { definition: { title: "Explicit" }, priority: { score: 33, factors: ["vip_client"] } },
      SYSTEM,
    );
    expect([explicit.priorityScore, explicit.queueName, explicit.priorityFactors]).toEqual([
      33,
      "low_priority",
      ["vip_client"],
    ]);
  });

  it("puts a task with a planned date in the scheduled queue, its deadline being that date", async () => {
    const task = await createTask(
      h.ctx,
      { definition: { title: "Planned" }, queue: { scheduled_for: "2026-03-05T08:00:00Z" } },
      SYSTEM,
    );
    expect(task.queueName).toBe("scheduled");
    expect(task.slaDeadline?.toISOString()).toBe("2026-03-05T08:00:00.000Z");
    const err = await expectDomainError(
      createTask(h.ctx, taskInput({ queue: { name: "scheduled" } }), SYSTEM),
      "VALIDATION",
    );
    expect(err.details.fields).toEqual([
      { path: "queue.scheduled_for", message: "Required for the scheduled queue" },
    ]);
  });

  it("backlog has no SLA deadline", async () => {
    expect((await newTask(h.ctx, { queue: { name: "backlog" } })).slaDeadline).toBeNull();
  });

  it("refuses an unknown queue", async () => {
    const input = { ...taskInput(), queue: { name: "nowhere" } } as unknown as CreateTaskInput;
    const err = await expectDomainError(createTask(h.ctx, input, SYSTEM), "VALIDATION");
    expect(err.details.fields?.[0]?.path).toBe("queue.name");
  });

  it("links blocked_by and parent, giving blockers and parent a new version", async () => {
    const a = await newTask(h.ctx);
    const b = await newTask(h.ctx);
    const parent = await newTask(h.ctx);
    const child = await newTask(h.ctx, {
      dependencies: { blocked_by: [a.id, b.id, a.id], parent_task: parent.id },
    });
    const edges = await h.ctx.prisma.taskDependency.findMany({
      where: { dependentId: child.id },
      orderBy: { blockerId: "asc" },
    });
    expect(edges.map((e) => e.blockerId)).toEqual([a.id, b.id]);
    expect(child.parentTaskId).toBe(parent.id);
    for (const [before, action] of [
      [a, "task.dependency_added"],
      [b, "task.dependency_added"],
      [parent, "task.subtask_added"],
    ] as const) {
      const after = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: before.id } });
      expect(after.version).toBe(before.version + 1);
      const last = await h.ctx.prisma.auditLog.findFirst({
        where: { taskId: before.id },
        orderBy: { id: "desc" },
      });
      expect(last?.action).toBe(action);
    }
  });

  it("reports each missing or cancelled blocker at its field path, and writes nothing", async () => {
    const ok = await newTask(h.ctx);
    const gone = await newTask(h.ctx);
    await cancelTask(h.ctx, gone.id, MANAGER, { reason: "Client withdrew" });
    const before = await h.ctx.prisma.task.count();
    // The year's id sequence (state/task-ids.ts): a refused creation takes no number.
    const lastSeq = () => h.ctx.prisma.$queryRaw`SELECT last_value, is_called FROM task_id_seq_2026`;
    const counter = await lastSeq();
    const err = await expectDomainError(
      newTask(h.ctx, {
        dependencies: { blocked_by: [ok.id, "TASK-2026-999999", gone.id], parent_task: "TASK-2025-000001" },
      }),
      "VALIDATION",
    );
    expect(err.details.fields).toEqual([
      { path: "dependencies.blocked_by.1", message: "Task TASK-2026-999999 does not exist" },
      { path: "dependencies.blocked_by.2", message: `Task ${gone.id} is cancelled: nothing can wait for it` },
      { path: "dependencies.parent_task", message: "Task TASK-2025-000001 does not exist" },
    ]);
    expect(await h.ctx.prisma.task.count()).toBe(before);
    expect(await lastSeq()).toEqual(counter);
    expect((await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: ok.id } })).version).toBe(ok.version);
  });
});
