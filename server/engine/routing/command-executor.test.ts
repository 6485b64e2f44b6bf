import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_PERMISSIONS } from "@/lib/permissions";
import { forceState, newTask, OPERATOR, setupEngine } from "../state/test-support";
import { type CommandCaller, executeCommand } from "./command-executor";

const operator: CommandCaller = { actor: OPERATOR, can: (p) => ROLE_PERMISSIONS.operator.includes(p) };
const viewer: CommandCaller = { actor: null, can: (p) => ROLE_PERMISSIONS.viewer.includes(p) };
const admin: CommandCaller = {
  actor: { id: "user:root", role: "admin" },
  can: (p) => PERMISSIONS.includes(p),
};

describe("executeCommand", () => {
  const engine = setupEngine();

  it("bumps a task named in the text", async () => {
    const task = await newTask(engine.ctx, { priority: { score: 40 } });
    const outcome = await executeCommand(engine.ctx, `bump ${task.id}`, operator);
    expect(outcome).toMatchObject({
      capability: "queue/priority-adjuster",
      status: "done",
      task_ids: [task.id],
    });
    const after = await engine.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(after.priorityScore).toBe(50);
    expect(after.updatedBy).toBe(OPERATOR.id);
  });

  it("cancels in French, keeping the text as the reason", async () => {
    const task = await newTask(engine.ctx);
    const outcome = await executeCommand(engine.ctx, `annuler ${task.id}, le client a renoncé`, operator);
    expect(outcome).toMatchObject({ capability: "state-machine/rollback-manager", status: "done" });
    const history = await engine.ctx.prisma.taskStateHistory.findMany({
      where: { taskId: task.id },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(history[0]).toMatchObject({
      state: "CANCELLED",
      reason: `annuler ${task.id}, le client a renoncé`,
    });
  });

  it("unblocks a blocked task and tells its state", async () => {
    const task = await newTask(engine.ctx);
    await forceState(engine.ctx, task.id, "BLOCKED");
    expect((await executeCommand(engine.ctx, `débloquer ${task.id}`, operator)).status).toBe("done");
    const state = await executeCommand(engine.ctx, `quel est l'état de ${task.id}`, operator);
    expect(state.status).toBe("info");
    expect(state.message).toContain("UNBLOCKED");
  });

  it("produces the week's report", async () => {
    const outcome = await executeCommand(engine.ctx, "rapport de la semaine", admin);
    expect(outcome).toMatchObject({ capability: "tracking/report-generator", status: "info" });
    expect(outcome.message).toContain("last 7 days");
    expect(outcome.result).toHaveProperty("download");
  });

  it("asks for the task when none is named, and refuses what the caller may not do", async () => {
    expect(await executeCommand(engine.ctx, "bump please", operator)).toMatchObject({
      status: "needs",
      needs: ["task_id"],
    });
    const task = await newTask(engine.ctx, { priority: { score: 40 } });
    expect((await executeCommand(engine.ctx, `bump ${task.id}`, viewer)).status).toBe("forbidden");
    expect((await engine.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).priorityScore).toBe(
      40,
    );
  });

  it("says when it does not understand", async () => {
    expect(await executeCommand(engine.ctx, "bonjour", operator)).toMatchObject({
      capability: null,
      status: "unknown",
    });
  });

  it("answers queue questions from the live counts", async () => {
    const outcome = await executeCommand(engine.ctx, "capacité des files", operator);
    expect(outcome.capability).toBe("queue/capacity-monitor");
    expect(outcome.message).toContain("critical 0/3");
  });
});
