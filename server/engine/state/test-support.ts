// Shared by the engine's integration tests (not used at run time).
import { afterAll, beforeAll, expect } from "vitest";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import { createTestDatabase, type TestDatabase } from "../../../test/database";
import type { Prisma, TaskState } from "../../db/generated/client";
import { type Clock, FakeClock } from "../clock";
import type { Actor, EngineContext } from "../context";
import { type DomainError, type DomainErrorCode, isDomainError } from "../errors";
import { createTask } from "../queue/create-task";

export const SYSTEM: Actor = { id: "task-orchestrator/execution", role: "system" };
export const OPERATOR: Actor = { id: "user:olivia", role: "operator" };
export const MANAGER: Actor = { id: "user:marc", role: "account_manager" };
export const EXECUTOR: Actor = { id: "skill:project-management", role: "executor" };
export const ADMIN: Actor = { id: "user:root", role: "admin" };

export interface EngineHarness {
  db: TestDatabase;
  ctx: EngineContext;
  clock: FakeClock;
}

/**
 * A fresh database for the test file, a fake clock, and the engine context over them; `clock`
 * replaces the fake one in the context (the real clock, for tests that run the engine's loops).
 */
export function setupEngine(options: { poolSize?: number; clock?: Clock } = {}): EngineHarness {
  const harness = {} as EngineHarness;
  beforeAll(async () => {
    harness.db = await createTestDatabase({ poolSize: options.poolSize });
    harness.clock = new FakeClock("2026-03-02T09:00:00Z");
    harness.ctx = { prisma: harness.db.prisma, sql: harness.db.sql, clock: options.clock ?? harness.clock };
  });
  afterAll(async () => {
    // drop() closes the pool and waits for its sockets to be gone before dropping.
    await harness.db?.drop();
  });
  return harness;
}

let counter = 0;

export function taskInput(overrides: Partial<CreateTaskInput> = {}): CreateTaskInput {
  counter += 1;
  return {
    definition: { title: `Task ${counter}`, type: "analysis" },
    queue: { name: "normal" },
    ...overrides,
  };
}

export function newTask(ctx: EngineContext, overrides: Partial<CreateTaskInput> = {}) {
  return createTask(ctx, taskInput(overrides), SYSTEM);
}

/** Test-only shortcut around the door: puts a task straight into a state (and fields it implies). */
export async function forceState(
  ctx: EngineContext,
  taskId: string,
  state: TaskState,
  extra: Prisma.TaskUncheckedUpdateInput = {},
) {
  const implied: Prisma.TaskUncheckedUpdateInput =
    state === "BLOCKED" ? { blockerReason: "Waiting for client", blockedSince: ctx.clock.now() } : {};
  return ctx.prisma.task.update({ where: { id: taskId }, data: { state, ...implied, ...extra } });
}

/** Awaits a promise that must fail with a DomainError of `code`; returns the error. */
export async function expectDomainError(
  promise: Promise<unknown>,
  code: DomainErrorCode,
): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    expect(error.code, error.message).toBe(code);
    return error;
  }
  throw new Error(`Expected a DomainError ${code}, but the command succeeded`);
}

export async function historyOf(ctx: EngineContext, taskId: string) {
  return ctx.prisma.taskStateHistory.findMany({ where: { taskId }, orderBy: { id: "asc" } });
}
