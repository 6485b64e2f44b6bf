import { beforeEach, describe, expect, it } from "vitest";
import { EVENTS_CHANNEL, parseEventsNotice } from "@/lib/events";
import type { EngineContext } from "../context";
import { newTask, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { driverOnly, keptSlots, resetTasks, setCapacity, stateOf as taskState } from "./testing/support";
import { claimTasks, completeAndClaim } from "./worker-protocol";

// A worker's results and its next claim in one statement (orch_complete_then_claim, POST
// /workers/complete with `claim`): the completions hand their freed slots over first, so the
// claim can take the tasks those slots went to.

const h = setupEngine({ poolSize: 4 });
const handover = (): EngineContext => ({ ...h.ctx, slotHandover: true });
const stateOf = (id: string) => taskState(h.ctx, id);

beforeEach(async () => {
  await resetTasks(h.ctx);
  await setCapacity(h.ctx, "critical", 3);
});

async function criticalTasks(n: number) {
  const tasks = [];
  for (let i = 0; i < n; i++) {
    tasks.push(await newTask(h.ctx, { queue: { name: "critical" }, priority: { score: 90 - i } }));
  }
  return tasks;
}

describe("results handed back with the next claim", () => {
  it("claims the tasks the freed slots went to, in one statement and one notification, never past capacity", async () => {
    const tasks = await criticalTasks(5);
    await dispatchOnce(h.ctx);
    const { tasks: first } = await claimTasks(h.ctx, { workerId: "w", skills: ["*"], max: 3 });
    expect(first.map((t) => t.id)).toEqual(tasks.slice(0, 3).map((t) => t.id));

    const statements: string[] = [];
    const hotOnly = driverOnly(handover(), statements);
    const notices: string[] = [];
    const unlisten = await h.db.listen(EVENTS_CHANNEL, (payload) => notices.push(payload));
    let outcome: Awaited<ReturnType<typeof completeAndClaim>>;
    try {
      outcome = await completeAndClaim(
        hotOnly,
        "w",
        first.map((t) => ({ taskId: t.id, output: { deliverables: ["done"] } })),
        { skills: ["*"], max: 50, leaseMs: 30_000 },
      );
      // A later transaction's notice arrives after every notice of the one before (commit order).
      await h.ctx.sql!("SELECT pg_notify($1, 'sentinel')", [EVENTS_CHANNEL]);
      await expect.poll(() => notices.at(-1)).toBe("sentinel");
    } finally {
      await unlisten();
    }
    expect(statements).toHaveLength(1);
    expect(outcome.results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(outcome.claimed.tasks.map((t) => t.id)).toEqual([tasks[3]!.id, tasks[4]!.id]);
    expect(outcome.claimed.tasks.map((t) => [t.state, t.leaseOwner])).toEqual([
      ["IN_PROGRESS", "w"],
      ["IN_PROGRESS", "w"],
    ]);
    expect(outcome.claimed.leaseMs).toBe(30_000);
    expect(notices).toHaveLength(2);
    expect(new Set(parseEventsNotice(notices[0]!)?.types)).toEqual(
      new Set(["task.completed", "task.scheduled", "task.in_progress"]),
    );
    expect(await Promise.all(tasks.map((t) => stateOf(t.id)))).toEqual([
      "COMPLETED",
      "COMPLETED",
      "COMPLETED",
      "IN_PROGRESS",
      "IN_PROGRESS",
    ]);
    expect(await keptSlots(h.ctx, "critical")).toBe(2);
    // Each claimed task went through SCHEDULED, in order, with its history.
    const history = await h.ctx.prisma.taskStateHistory.findMany({
      where: { taskId: tasks[3]!.id },
      orderBy: { id: "asc" },
      select: { state: true },
    });
    expect(history.map((r) => r.state)).toEqual(["CREATED", "QUEUED", "SCHEDULED", "IN_PROGRESS"]);
  });

  it("answers each refused result for itself and still claims", async () => {
    await setCapacity(h.ctx, "critical", null);
    const [mine, theirs, next] = await criticalTasks(3);
    await dispatchOnce(h.ctx);
    const keyA = { workerId: "w-shared", credential: "api_key:key-a" };
    const keyB = { workerId: "w-shared", credential: "api_key:key-b" };
    await claimTasks(h.ctx, { ...keyA, skills: ["*"], max: 1 });
    await claimTasks(h.ctx, { ...keyB, skills: ["*"], max: 1 });

    const { results, claimed } = await completeAndClaim(
      h.ctx,
      keyA,
      [{ taskId: mine!.id }, { taskId: theirs!.id }],
      {
        skills: ["*"],
        max: 5,
      },
    );
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    const refused = results[1]!;
    expect(!refused.ok && refused.error.details?.workerError).toBe("LEASE_NOT_HELD");
    expect(claimed.tasks.map((t) => [t.id, t.leaseCredential])).toEqual([[next!.id, "api_key:key-a"]]);
    expect(await stateOf(theirs!.id)).toBe("IN_PROGRESS");
  });

  it("refuses a claim without skills before writing anything, naming the field", async () => {
    const [task] = await criticalTasks(1);
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"] });
    await expect(
      completeAndClaim(handover(), "w", [{ taskId: task!.id }], { skills: [" "] }),
    ).rejects.toMatchObject({
      details: { fields: [{ path: "skills" }] },
    });
    expect(await stateOf(task!.id)).toBe("IN_PROGRESS");
  });

  it("answers an empty claim at once when nothing is claimable", async () => {
    const [task] = await criticalTasks(1);
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w", skills: ["*"] });
    const { results, claimed } = await completeAndClaim(handover(), "w", [{ taskId: task!.id }], {
      skills: ["*"],
      max: 10,
    });
    expect(results.map((r) => r.ok)).toEqual([true]);
    expect(claimed.tasks).toEqual([]);
    expect(await keptSlots(h.ctx, "critical")).toBe(0);
  });
});
