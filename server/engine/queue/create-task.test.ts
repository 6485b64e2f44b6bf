import { describe, expect, it } from "vitest";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import type { SqlQuery } from "../../db/client";
import type { EngineContext } from "../context";
import { loadSeedTask } from "../format/seed-format";
import { cancelTask } from "../state/rollback-manager";
import {
  expectDomainError,
  historyOf,
  MANAGER,
  newTask,
  OPERATOR,
  SYSTEM,
  setupEngine,
  taskInput,
} from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { createTask, createTaskAnswer, createTaskInTx } from "./create-task";

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

  describe("on the one-statement path (orch_create_task)", () => {
    /** Everything a creation wrote about the task, without its id (two creations compared). */
    async function written(ctx: EngineContext, taskId: string) {
      const { id: _id, ...task } = await ctx.prisma.task.findUniqueOrThrow({ where: { id: taskId } });
      const history = await ctx.prisma.taskStateHistory.findMany({
        where: { taskId },
        orderBy: { id: "asc" },
      });
      const audit = await ctx.prisma.auditLog.findMany({ where: { taskId }, orderBy: { id: "asc" } });
      const events = await ctx.prisma.event.findMany({ where: { taskId }, orderBy: { id: "asc" } });
      return {
        task,
        history: history.map(({ id: _, taskId: __, ...row }) => row),
        audit: audit.map(({ id: _, taskId: __, ...row }) => row),
        events: events.map(({ id: _, taskId: __, ...row }) => row),
      };
    }

    /** The engine context with its driver query recorded, to tell which path ran. */
    function recorded(): { ctx: EngineContext; statements: string[] } {
      const statements: string[] = [];
      const sql = h.db.sql;
      const recording: SqlQuery = (text, values) => {
        statements.push(text);
        return sql(text, values);
      };
      return { ctx: { ...h.ctx, sql: recording }, statements };
    }

    const full: CreateTaskInput = {
      intake_id: "INTAKE-PARITY",
      definition: {
        title: "Parity",
        description: "Both paths",
        type: "analysis",
        skill_target: "project-management",
        entry_point: "brief-analysis",
      },
      queue: { name: "urgent" },
      priority: { factors: ["vip_client", "existing_client"] },
      execution: { estimated_duration_hours: 2.5, assigned_to: "user:olivia" },
      context: {
        client: { name: "Acme", contact: "ops@acme.test" },
        project: { type: "website", budget_range: "10-20k", deadline: "2026-04-01" },
      },
    };

    for (const [name, input] of [
      ["every field", full],
      [
        "the scheduled queue",
        { definition: { title: "Later" }, queue: { scheduled_for: "2026-03-05T08:00:00Z" } },
      ],
      ["backlog, no SLA", { definition: { title: "Someday" }, queue: { name: "backlog" } }],
    ] as [string, CreateTaskInput][]) {
      it(`writes what the transaction path writes and answers as a read-back would: ${name}`, async () => {
        const viaDoor = await inTransaction(h.ctx, (tx, now) => createTaskInTx(tx, now, input, OPERATOR));
        const { ctx, statements } = recorded();
        const answer = await createTaskAnswer(ctx, input, OPERATOR);
        expect(statements).toEqual([expect.stringContaining("orch_create_task")]);
        expect(await written(ctx, answer.id)).toEqual(await written(ctx, viaDoor.id));
        expect(answer).toEqual(await loadSeedTask(h.ctx.prisma, answer.id));
        // Through Prisma's raw query (a context without the driver), the same.
        const viaPrisma = await createTask({ prisma: h.ctx.prisma, clock: h.ctx.clock }, input, OPERATOR);
        expect(await written(ctx, viaPrisma.id)).toEqual(await written(ctx, viaDoor.id));
      });
    }

    it("answers the task's live position among its queue's waiting tasks", async () => {
      const first = await createTaskAnswer(h.ctx, taskInput({ queue: { name: "low_priority" } }), SYSTEM);
      const ahead = await createTaskAnswer(
        h.ctx,
        taskInput({ queue: { name: "low_priority" }, priority: { score: 40 } }),
        SYSTEM,
      );
      const behind = await createTaskAnswer(
        h.ctx,
        taskInput({ queue: { name: "low_priority" }, priority: { score: 10 } }),
        SYSTEM,
      );
      for (const answer of [first, ahead, behind]) {
        expect(answer.queue.position).toBe((await loadSeedTask(h.ctx.prisma, answer.id))?.queue.position);
      }
      expect(behind.queue.position).toBeGreaterThan(ahead.queue.position ?? Infinity);
    });

    it("leaves links to other tasks and an Idempotency-Key's record to the transaction path", async () => {
      const blocker = await newTask(h.ctx);
      const linked = recorded();
      const child = await createTask(
        linked.ctx,
        taskInput({ dependencies: { blocked_by: [blocker.id] } }),
        SYSTEM,
      );
      expect(child.state).toBe("QUEUED");
      const keyed = recorded();
      const records: string[] = [];
      await createTask(
        { ...keyed.ctx, inEveryTransaction: async () => void records.push("key") },
        taskInput(),
        SYSTEM,
      );
      expect([linked.statements, keyed.statements, records]).toEqual([[], [], ["key"]]);
    });
  });
});
