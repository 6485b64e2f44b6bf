import { describe, expect, it } from "vitest";
import { TEMPLATES } from "@/lib/templates";
import { WORKFLOWS } from "@/lib/workflows";
import { loadSeedTask } from "../format/seed-format";
import { isEligible } from "./eligibility";
import { completeTask, scheduleTask, startTask } from "./lifecycle";
import { EXECUTOR, expectDomainError, newTask, SYSTEM, setupEngine } from "./test-support";
import { advanceStep, instantiateTemplate } from "./workflow-engine";

const h = setupEngine();

const CONTEXT = {
  client: { name: "StartupIO", contact: "Marie Martin" },
  project: { type: "ecommerce", budget_range: "15k-25k", deadline: "2026-06-30" },
};

describe("workflow steps", () => {
  it("starts at the first step and advances to the last, raising progress", async () => {
    const task = await newTask(h.ctx, { definition: { title: "Analyse", type: "analysis" } });
    await scheduleTask(h.ctx, task.id, SYSTEM);
    const { task: started } = await startTask(h.ctx, task.id, EXECUTOR);
    expect(started.currentStep).toBe("context_review");
    const seen = [started.currentStep];
    const progress = [started.progressPercent];
    for (let i = 0; i < 3; i++) {
      const next = await advanceStep(h.ctx, task.id, EXECUTOR);
      seen.push(next.currentStep);
      progress.push(next.progressPercent);
    }
    expect(seen).toEqual(WORKFLOWS.analysis);
    expect(progress).toEqual([0, 25, 50, 75]);
    await expectDomainError(advanceStep(h.ctx, task.id, EXECUTOR), "CONFLICT");
  });

  it("refuses to advance a task that is not running or has no workflow", async () => {
    const waiting = await newTask(h.ctx);
    await expectDomainError(advanceStep(h.ctx, waiting.id, EXECUTOR), "CONFLICT");
    const plain = await newTask(h.ctx, { definition: { title: "Plain", type: "generic" } });
    await scheduleTask(h.ctx, plain.id, SYSTEM);
    const { task } = await startTask(h.ctx, plain.id, EXECUTOR);
    expect(task.currentStep).toBeNull();
    await expectDomainError(advanceStep(h.ctx, plain.id, EXECUTOR), "CONFLICT");
  });
});

describe("templates", () => {
  it("every template's blocked_by names an earlier task", () => {
    for (const template of TEMPLATES) {
      const keys: string[] = [];
      for (const task of template.tasks) {
        for (const key of task.blocked_by ?? []) expect(keys, `${template.id}/${task.key}`).toContain(key);
        keys.push(task.key);
      }
    }
  });

  it("runs the seed's worked example end to end", async () => {
    const [brief, scoping, architecture] = await instantiateTemplate(
      h.ctx,
      "ecommerce-redesign",
      { intake_id: "INK-2026-000042", context: CONTEXT, priority: { factors: ["existing_client"] } },
      SYSTEM,
    );
    if (!brief || !scoping || !architecture) throw new Error("three tasks expected");
    expect([brief.skillTarget, brief.entryPoint, brief.queueName]).toEqual([
      "project-management",
      "avant-projet/brief-analysis",
      "high_priority",
    ]);
    expect([scoping.skillTarget, architecture.skillTarget]).toEqual([
      "direction-technique",
      "direction-technique",
    ]);
    const seedScoping = await loadSeedTask(h.ctx.prisma, scoping.id);
    expect(seedScoping?.dependencies.blocked_by).toEqual([brief.id]);
    expect(seedScoping?.dependencies.blocks).toEqual([architecture.id]);
    expect((await loadSeedTask(h.ctx.prisma, architecture.id))?.dependencies.blocked_by).toEqual([
      scoping.id,
    ]);
    expect(seedScoping?.intake_id).toBe("INK-2026-000042");
    expect(seedScoping?.context).toEqual(CONTEXT);

    // TASK-001 goes IN_PROGRESS on project-management/avant-projet/brief-analysis.
    await scheduleTask(h.ctx, brief.id, SYSTEM);
    const { task: running } = await startTask(h.ctx, brief.id, EXECUTOR);
    expect(`${running.skillTarget}/${running.entryPoint}`).toBe(
      "project-management/avant-projet/brief-analysis",
    );
    expect(running.currentStep).toBe("context_review");
    await expectDomainError(scheduleTask(h.ctx, scoping.id, SYSTEM), "CONFLICT");

    // TASK-001 completed → TASK-002 unblocked automatically; TASK-003 still waits.
    h.clock.advanceHours(2);
    const done = await completeTask(h.ctx, brief.id, EXECUTOR);
    expect(done.unblocked).toEqual([scoping.id]);
    expect(await isEligible(h.ctx.prisma, scoping.id, h.clock.now())).toBe(true);
    expect(await isEligible(h.ctx.prisma, architecture.id, h.clock.now())).toBe(false);
    await expectDomainError(scheduleTask(h.ctx, architecture.id, SYSTEM), "CONFLICT");

    // And so on until COMPLETED.
    await scheduleTask(h.ctx, scoping.id, SYSTEM);
    await startTask(h.ctx, scoping.id, EXECUTOR);
    expect((await completeTask(h.ctx, scoping.id, EXECUTOR)).unblocked).toEqual([architecture.id]);
    await scheduleTask(h.ctx, architecture.id, SYSTEM);
    await startTask(h.ctx, architecture.id, EXECUTOR);
    expect((await completeTask(h.ctx, architecture.id, EXECUTOR)).task.state).toBe("COMPLETED");
  });

  it("creates the whole chain or nothing, and refuses an unknown template", async () => {
    await expectDomainError(instantiateTemplate(h.ctx, "nope", {}, SYSTEM), "NOT_FOUND");
    const before = await h.ctx.prisma.task.count();
    const tasks = await instantiateTemplate(h.ctx, "security-incident", {}, SYSTEM);
    expect(tasks.map((t) => [t.queueName, t.type])).toEqual([
      ["critical", "incident"],
      ["critical", "development"],
      ["normal", "postmortem"],
    ]);
    expect(tasks[0]?.priorityFactors).toEqual(["security", "production_incident"]);
    expect(await h.ctx.prisma.task.count()).toBe(before + 3);
  });
});
