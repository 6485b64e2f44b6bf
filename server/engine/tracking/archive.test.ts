import { describe, expect, it } from "vitest";
import { taskListQuery } from "@/lib/schemas/task-query";
import { listTaskIds } from "../presenters/task-list";
import { commitTaskChange, lockTask } from "../state/commit-change";
import { ADMIN, newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { ARCHIVE_ACTOR, archiveFinishedTasks } from "./archive";

// Archiving finished tasks after ARCHIVE_AFTER_DAYS, through the one door, on a fake clock.

const h = setupEngine({ poolSize: 6 });

async function finish(taskId: string, to: "COMPLETED" | "CANCELLED") {
  await inTransaction(h.ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    await commitTaskChange(tx, task, { at, actor: ADMIN, action: "task.transitioned", toState: to });
  });
}

describe("archive", () => {
  it("archives COMPLETED and CANCELLED tasks older than the configured age, versioned and audited", async () => {
    h.clock.set("2026-01-01T10:00:00Z");
    const oldDone = await newTask(h.ctx);
    const oldCancelled = await newTask(h.ctx);
    const stillQueued = await newTask(h.ctx);
    await finish(oldDone.id, "COMPLETED");
    await finish(oldCancelled.id, "CANCELLED");
    h.clock.set("2026-01-25T10:00:00Z");
    const recentDone = await newTask(h.ctx);
    await finish(recentDone.id, "COMPLETED");

    h.clock.set("2026-01-31T09:59:00Z"); // 29 days 23 h 59 min after the first ones
    expect(await archiveFinishedTasks(h.ctx)).toEqual([]);
    h.clock.set("2026-01-31T10:00:00Z");
    expect((await archiveFinishedTasks(h.ctx)).sort()).toEqual([oldDone.id, oldCancelled.id].sort());

    const archived = await h.db.prisma.task.findUniqueOrThrow({ where: { id: oldDone.id } });
    expect(archived).toMatchObject({
      state: "COMPLETED",
      archivedAt: new Date("2026-01-31T10:00:00Z"),
      version: 4, // created 1, queued 2, completed 3, archived 4
      updatedBy: ARCHIVE_ACTOR.id,
    });
    const audit = await h.db.prisma.auditLog.findFirst({
      where: { taskId: oldDone.id, action: "task.archived" },
    });
    expect(audit).toMatchObject({ actor: ARCHIVE_ACTOR.id, toState: null });
    const event = await h.db.prisma.event.findFirst({ where: { taskId: oldDone.id, type: "task.archived" } });
    expect(event?.version).toBe(4);
    expect(
      (await h.db.prisma.task.findUniqueOrThrow({ where: { id: stillQueued.id } })).archivedAt,
    ).toBeNull();

    // Once only; and a shorter age (ARCHIVE_AFTER_DAYS=5) takes the recent one too.
    expect(await archiveFinishedTasks(h.ctx)).toEqual([]);
    expect(await archiveFinishedTasks(h.ctx, { afterDays: 5 })).toEqual([recentDone.id]);
  });

  it("keeps archived tasks queryable with include_archived=true", async () => {
    // Its own finished tasks, archived here (another year, so no other test's tasks are due).
    h.clock.set("2025-06-01T10:00:00Z");
    const done = await newTask(h.ctx);
    const cancelled = await newTask(h.ctx);
    await finish(done.id, "COMPLETED");
    await finish(cancelled.id, "CANCELLED");
    h.clock.set("2025-08-01T10:00:00Z");
    expect((await archiveFinishedTasks(h.ctx)).sort()).toEqual([done.id, cancelled.id].sort());

    const mine = { state: "COMPLETED,CANCELLED", ids: `${done.id},${cancelled.id}` };
    const all = await listTaskIds(h.db.prisma, taskListQuery.parse({ ...mine, include_archived: "true" }));
    const visible = await listTaskIds(h.db.prisma, taskListQuery.parse(mine));
    expect([...all.ids].sort()).toEqual([done.id, cancelled.id].sort());
    expect(visible.ids).toEqual([]);
  });
});
