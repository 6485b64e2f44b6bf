import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TASK_STATES, type TaskStateName } from "@/lib/states";
import {
  allowedTargets,
  findTransition,
  isRevertible,
  REVERT_ROLES,
  roleMayTake,
  TRANSITIONS,
  type TransitionActorRole,
} from "@/lib/transitions";
import { nextStep, workflowSteps } from "@/lib/workflows";
import type { Task } from "../../db/generated/client";
import { isDomainError } from "../errors";
import { bumpTask } from "../queue/priority-adjuster";
import { revertLastTransition } from "./rollback-manager";
import { transitionTask } from "./state-controller";
import { historyOf, newTask, setupEngine } from "./test-support";
import { advanceStep } from "./workflow-engine";

const h = setupEngine();

const ROLES: TransitionActorRole[] = ["system", "operator", "account_manager", "executor", "admin"];

/** States reachable from CREATED through table rows and reverts. */
function reachable(): Set<TaskStateName> {
  const seen = new Set<TaskStateName>(["CREATED"]);
  const todo: TaskStateName[] = ["CREATED"];
  while (todo.length > 0) {
    const from = todo.pop() as TaskStateName;
    const next = [
      ...allowedTargets(from),
      ...TRANSITIONS.filter((t) => t.to === from && isRevertible(t.from, t.to)).map((t) => t.from),
    ];
    for (const to of next) {
      if (seen.has(to)) continue;
      seen.add(to);
      todo.push(to);
    }
  }
  return seen;
}
const REACHABLE = reachable();

/** True 4 times out of 5: most moves are legal so the runs walk deep into the machine. */
const mostly = fc.integer({ min: 0, max: 4 }).map((n) => n > 0);

const command = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("transition" as const),
      legalTarget: mostly,
      target: fc.nat(),
      legalRole: mostly,
      role: fc.nat(),
      withReason: mostly,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("revert" as const), role: fc.constantFrom(...ROLES) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stale" as const), target: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("bump" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const) }) },
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const actor = (role: TransitionActorRole) => ({ id: `prop:${role}`, role });

async function expectedRevertOk(task: Task, role: TransitionActorRole): Promise<boolean> {
  if (!REVERT_ROLES.includes(role)) return false;
  const last = (await historyOf(h.ctx, task.id)).at(-1);
  if (!last?.fromState || !isRevertible(last.fromState, last.state)) return false;
  const audit = await h.ctx.prisma.auditLog.findFirst({
    where: { taskId: task.id, toState: { not: null } },
    orderBy: { id: "desc" },
  });
  return audit?.action !== "task.reverted";
}

/** Runs one command; returns whether the model expects success and whether it succeeded. */
async function run(task: Task, cmd: Command): Promise<{ expected: boolean | null; ok: boolean }> {
  let expected: boolean | null = null;
  let attempt: Promise<unknown>;
  switch (cmd.kind) {
    case "transition": {
      const legal = allowedTargets(task.state);
      const to =
        cmd.legalTarget && legal.length > 0
          ? (legal[cmd.target % legal.length] as TaskStateName)
          : (TASK_STATES[cmd.target % TASK_STATES.length] as TaskStateName);
      const rule = findTransition(task.state, to);
      const fitting = rule ? ROLES.filter((r) => roleMayTake(r, rule)) : [];
      const role =
        cmd.legalRole && fitting.length > 0
          ? (fitting[cmd.role % fitting.length] as TransitionActorRole)
          : (ROLES[cmd.role % ROLES.length] as TransitionActorRole);
      const needsReason = to === "BLOCKED" || to === "CANCELLED";
      expected = rule !== undefined && roleMayTake(role, rule) && (!needsReason || cmd.withReason);
      attempt = transitionTask(h.ctx, task.id, to, actor(role), {
        expectedVersion: task.version,
        reason: cmd.withReason ? "property" : undefined,
      });
      break;
    }
    case "revert":
      expected = await expectedRevertOk(task, cmd.role);
      attempt = revertLastTransition(h.ctx, task.id, actor(cmd.role), { expectedVersion: task.version });
      break;
    case "stale":
      expected = false;
      attempt = transitionTask(
        h.ctx,
        task.id,
        TASK_STATES[cmd.target % TASK_STATES.length] as string,
        actor("admin"),
        {
          expectedVersion: task.version - 1,
          reason: "stale",
        },
      );
      break;
    case "bump":
      expected = task.state !== "COMPLETED" && task.state !== "CANCELLED";
      attempt = bumpTask(h.ctx, task.id, actor("operator"), { expectedVersion: task.version });
      break;
    case "advance":
      // Only a running task of a type with steps, not yet at its last one, moves on a step.
      expected =
        task.state === "IN_PROGRESS" &&
        workflowSteps(task.type).length > 0 &&
        nextStep(task.type, task.currentStep) !== null;
      attempt = advanceStep(h.ctx, task.id, actor("executor"), { expectedVersion: task.version });
      break;
  }
  try {
    await attempt;
    return { expected, ok: true };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (cmd.kind === "stale") expect(error.code).toBe("STALE_VERSION");
    return { expected, ok: false };
  }
}

async function checkInvariants(task: Task): Promise<void> {
  expect(REACHABLE.has(task.state)).toBe(true);
  const history = await historyOf(h.ctx, task.id);
  // History replays to the current state, one legal step (table row or revert) at a time.
  let state: TaskStateName | null = null;
  let version = 0;
  for (const row of history) {
    expect(row.fromState).toBe(state);
    if (state !== null) {
      const legal = findTransition(state, row.state) !== undefined || isRevertible(row.state, state);
      expect(legal, `${state} → ${row.state}`).toBe(true);
    }
    expect(row.version).toBeGreaterThan(version);
    version = row.version;
    state = row.state;
  }
  expect(state).toBe(task.state);
  expect(history.at(-1)?.fromState ?? null).toBe(task.previousState);
  expect(task.version).toBeGreaterThanOrEqual(version);
  if (task.state === "BLOCKED") expect(task.blockerReason && task.blockedSince).toBeTruthy();
  if (task.state === "COMPLETED")
    expect([task.completedAt !== null, task.progressPercent]).toEqual([true, 100]);
  if (task.state === "IN_PROGRESS") expect(task.startedAt).not.toBeNull();
}

describe("state machine properties", () => {
  it("random command sequences keep the task reachable, versions increasing, history replayable", async () => {
    const succeeded = new Map<string, number>();
    const visited = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 4, maxLength: 14 }), async (commands) => {
        let task = await newTask(h.ctx, { queue: { name: "backlog" } });
        for (const cmd of commands) {
          const { expected, ok } = await run(task, cmd);
          const after = await h.ctx.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
          if (expected !== null) expect(ok, JSON.stringify({ from: task.state, cmd })).toBe(expected);
          if (ok) succeeded.set(cmd.kind, (succeeded.get(cmd.kind) ?? 0) + 1);
          if (ok) expect(after.version).toBeGreaterThan(task.version);
          else expect([after.version, after.state]).toEqual([task.version, task.state]);
          if (ok && cmd.kind === "advance")
            expect([after.state, after.currentStep]).toEqual([
              task.state,
              nextStep(task.type, task.currentStep),
            ]);
          await checkInvariants(after);
          visited.add(after.state);
          task = after;
        }
      }),
      { numRuns: 30 },
    );
    // The generator is biased towards legal moves, so the runs do walk the machine.
    expect(succeeded.get("transition") ?? 0).toBeGreaterThan(40);
    expect(visited.size).toBeGreaterThanOrEqual(6);
  });
});
