import { describe, expect, it } from "vitest";
import { newTask, setupEngine } from "../state/test-support";
import { pruneAuditLog } from "./audit-retention";

// AUDIT_RETENTION_DAYS bounds the audit log; unset, everything is kept. State history stays.

const h = setupEngine();

describe("audit retention", () => {
  it("keeps everything without a retention, and only what is younger than it with one", async () => {
    const old = await newTask(h.ctx);
    h.clock.advanceHours(24 * 40);
    const recent = await newTask(h.ctx);
    expect(await pruneAuditLog(h.ctx, { retentionDays: null })).toBe(0);

    const oldEntries = await h.ctx.prisma.auditLog.count({ where: { taskId: old.id } });
    expect(oldEntries).toBeGreaterThan(0);
    expect(await pruneAuditLog(h.ctx, { retentionDays: 30, batch: 1 })).toBe(oldEntries);
    expect(await h.ctx.prisma.auditLog.count({ where: { taskId: old.id } })).toBe(0);
    expect(await h.ctx.prisma.auditLog.count({ where: { taskId: recent.id } })).toBeGreaterThan(0);
    expect(await h.ctx.prisma.taskStateHistory.count({ where: { taskId: old.id } })).toBeGreaterThan(0);
  });
});
