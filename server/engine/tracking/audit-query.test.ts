import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView } from "@/lib/metrics";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { isDomainError } from "../errors";
import { queryAudit } from "./audit-query";

// The audit log filled directly (no engine commands): 30 entries, one a minute from 09:00,
// over three tasks, two actors, three actions.

let db: TestDatabase;
let ctx: { prisma: TestDatabase["prisma"] };

const START = Date.parse("2026-03-02T09:00:00Z");
const TASKS = ["TASK-2026-000001", "TASK-2026-000002", "TASK-2026-000003"];
const ACTORS = ["user:marie", "task-orchestrator/execution"];
const ACTIONS = ["task.transitioned", "task.reordered", "task.edited"];

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { prisma: db.prisma };
  await db.prisma.auditLog.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      at: new Date(START + i * 60_000),
      actor: ACTORS[i % 2]!,
      action: ACTIONS[i % 3]!,
      taskId: i === 29 ? null : TASKS[i % 3]!,
      fromState: i % 3 === 0 ? ("QUEUED" as const) : null,
      toState: i % 3 === 0 ? ("SCHEDULED" as const) : null,
      reason: i === 0 ? "first" : null,
      details: { n: i },
    })),
  });
});

afterAll(async () => {
  await db?.drop();
});

const n = (e: AuditEntryView) => (e.details as { n: number }).n;

async function allPages(
  filter: Parameters<typeof queryAudit>[1],
): Promise<{ pages: number; entries: AuditEntryView[] }> {
  const entries: AuditEntryView[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await queryAudit(ctx, { ...filter, cursor });
    pages++;
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages < 100);
  return { pages, entries };
}

describe("queryAudit", () => {
  it("lists newest first, default 50, in the view shape", async () => {
    const page = await queryAudit(ctx);
    expect(page.entries).toHaveLength(30);
    expect(page.nextCursor).toBeNull();
    expect(page.entries.map(n)).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
    expect(page.entries[29]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: "2026-03-02T09:00:00.000Z",
      actor: "user:marie",
      action: "task.transitioned",
      taskId: "TASK-2026-000001",
      fromState: "QUEUED",
      toState: "SCHEDULED",
      reason: "first",
      details: { n: 0 },
    });
    expect(page.entries[0]?.taskId).toBeNull();
  });

  it("filters by task, actor, action and time range [from, to)", async () => {
    const byTask = await queryAudit(ctx, { taskId: "TASK-2026-000002" });
    expect(byTask.entries.map(n)).toEqual([28, 25, 22, 19, 16, 13, 10, 7, 4, 1]);
    const byActor = await queryAudit(ctx, { actor: "task-orchestrator/execution" });
    expect(byActor.entries.every((e) => n(e) % 2 === 1)).toBe(true);
    expect(byActor.entries).toHaveLength(15);
    const byAction = await queryAudit(ctx, { action: "task.reordered" });
    expect(byAction.entries.map(n)).toEqual([28, 25, 22, 19, 16, 13, 10, 7, 4, 1]);
    const range = await queryAudit(ctx, {
      from: new Date(START + 10 * 60_000),
      to: new Date(START + 15 * 60_000),
    });
    expect(range.entries.map(n)).toEqual([14, 13, 12, 11, 10]);
    const combined = await queryAudit(ctx, {
      taskId: "TASK-2026-000001",
      actor: "user:marie",
      from: new Date(START + 6 * 60_000),
    });
    // task 1: i % 3 = 0; marie: i even → i % 6 = 0, from 6
    expect(combined.entries.map(n)).toEqual([24, 18, 12, 6]);
    expect((await queryAudit(ctx, { actor: "nobody" })).entries).toEqual([]);
  });

  it("pages with a cursor: no duplicates, no gaps, null cursor on the last page", async () => {
    const { pages, entries } = await allPages({ limit: 7 });
    expect(pages).toBe(5); // 7 + 7 + 7 + 7 + 2
    expect(entries.map(n)).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
    expect(new Set(entries.map((e) => e.id)).size).toBe(30);
    const exact = await allPages({ limit: 10 });
    expect(exact.pages).toBe(3);
    expect(exact.entries).toHaveLength(30);
    const filtered = await allPages({ actor: "user:marie", limit: 4 });
    expect(filtered.entries.map(n)).toEqual([28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);
  });

  it("keeps paging stable while new entries are written", async () => {
    const first = await queryAudit(ctx, { limit: 5 });
    await db.prisma.auditLog.create({
      data: {
        at: new Date(START + 60 * 60_000),
        actor: "user:late",
        action: "task.edited",
        details: { n: 99 },
      },
    });
    const second = await queryAudit(ctx, { limit: 5, cursor: first.nextCursor! });
    expect(first.entries.map(n)).toEqual([29, 28, 27, 26, 25]);
    expect(second.entries.map(n)).toEqual([24, 23, 22, 21, 20]);
    await db.prisma.auditLog.deleteMany({ where: { actor: "user:late" } });
  });

  it("rejects a limit out of 1..200 and a malformed cursor as VALIDATION on the field", async () => {
    for (const [filter, path] of [
      [{ limit: 0 }, "limit"],
      [{ limit: 201 }, "limit"],
      [{ limit: 1.5 }, "limit"],
      [{ cursor: "abc" }, "cursor"],
    ] as const) {
      const error = await queryAudit(ctx, filter).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe("VALIDATION");
      expect(isDomainError(error) && error.details.fields?.[0]?.path).toBe(path);
    }
    expect((await queryAudit(ctx, { limit: 200 })).entries).toHaveLength(30);
  });
});
