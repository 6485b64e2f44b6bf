import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../context";
import { commitTaskChange, lockTask } from "./commit-change";
import { newTask, setupEngine } from "./test-support";
import { inTransaction } from "./transaction";

// The one door's event names the task's queue, so clients refresh that queue's list only.

const h = setupEngine();

describe("commitTaskChange's event", () => {
  it("carries the task's queue, and the queue it left when the change moved it", async () => {
    const task = await newTask(h.ctx, { queue: { name: "urgent" } });
    const commit = (patch: Record<string, string>, action: string) =>
      inTransaction(h.ctx, async (tx, at) =>
        commitTaskChange(tx, await lockTask(tx, task.id), { at, actor: SYSTEM_ACTOR, action, patch }),
      );
    const reordered = await commit({ rank: "a0" }, "task.reordered");
    expect(reordered.event).toMatchObject({ type: "task.reordered", taskId: task.id, queue: "urgent" });
    expect(reordered.event.fromQueue).toBeUndefined();
    const moved = await commit({ queueName: "normal" }, "task.moved");
    expect(moved.event).toMatchObject({ queue: "normal", fromQueue: "urgent", version: moved.task.version });
  });
});
