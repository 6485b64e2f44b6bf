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
    const finished = { state: "COMPLETED,CANCELLED" };
    const all = await listTaskIds(
      h.db.prisma,
      taskListQuery.parse({ ...finished, include_archived: "true" }),
    );
    const visible = await listTaskIds(h.db.prisma, taskListQuery.parse(finished));
    expect(all.ids).toHaveLength(3);
    expect(visible.ids).toEqual([]);
  });

  it("archives in batches and never twice when two instances sweep together", async () => {
    h.clock.set("2026-02-01T10:00:00Z");
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const task = await newTask(h.ctx);
      await finish(task.id, "COMPLETED");
      ids.push(task.id);
    }
    h.clock.set("2026-03-10T10:00:00Z");
    const [a, b] = await Promise.all([
      archiveFinishedTasks(h.ctx, { batch: 2 }),
      archiveFinishedTasks(h.ctx, { batch: 2 }),
    ]);
    expect([...(a ?? []), ...(b ?? [])].sort()).toEqual(ids.sort());
    const audits = await h.db.prisma.auditLog.count({
      where: { taskId: { in: ids }, action: "task.archived" },
    });
    expect(audits).toBe(7);
  });
});
