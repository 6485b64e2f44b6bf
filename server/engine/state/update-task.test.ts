import { describe, expect, it } from "vitest";
import { scheduleTask, startTask } from "./lifecycle";
import { EXECUTOR, expectDomainError, newTask, OPERATOR, SYSTEM, setupEngine } from "./test-support";
import { updateTask } from "./update-task";

const h = setupEngine();

describe("updateTask (PATCH)", () => {
  it("writes only what changes, audits the field paths, and bumps the version once", async () => {
    const task = await newTask(h.ctx, { context: { client: { name: "StartupIO" } } });
    const updated = await updateTask(
      h.ctx,
      task.id,
      {
        expected_version: task.version,
        definition: { title: "Renamed", description: "" },
        execution: { assigned_to: "pm_team" },
        context: {
          client: { name: "StartupIO", contact: "Marie Martin" },
          project: { deadline: "2026-06-30" },
        },
      },
      OPERATOR,
    );
    expect(updated).toMatchObject({
      title: "Renamed",
      assignedTo: "pm_team",
      clientContact: "Marie Martin",
      projectDeadline: "2026-06-30",
      version: task.version + 1,
      updatedBy: OPERATOR.id,
    });
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: task.id },
      orderBy: { id: "desc" },
    });
    expect(audit.details).toEqual({
      fields: [
        "definition.title",
        "execution.assigned_to",
        "context.client.contact",
        "context.project.deadline",
      ],
    });
    const cleared = await updateTask(
      h.ctx,
      task.id,
      { expected_version: updated.version, execution: { assigned_to: null } },
      OPERATOR,
    );
    expect(cleared.assignedTo).toBeNull();
    const same = await updateTask(
      h.ctx,
      task.id,
      { expected_version: cleared.version, definition: { title: "Renamed" } },
      OPERATOR,
    );
    expect(same.version).toBe(cleared.version);
  });

  it("refuses a stale version and a type change once started", async () => {
    const task = await newTask(h.ctx);
    await expectDomainError(
      updateTask(
        h.ctx,
        task.id,
        { expected_version: task.version - 1, definition: { title: "x" } },
        OPERATOR,
      ),
      "STALE_VERSION",
    );
    await scheduleTask(h.ctx, task.id, SYSTEM);
    const { task: started } = await startTask(h.ctx, task.id, EXECUTOR);
    await expectDomainError(
      updateTask(
        h.ctx,
        task.id,
        { expected_version: started.version, definition: { type: "scoping" } },
        OPERATOR,
      ),
      "CONFLICT",
    );
  });
});
