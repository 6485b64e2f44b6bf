import { beforeEach, describe, expect, it } from "vitest";
import { MANAGER, newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { bulkActOnEscalations } from "./bulk";
import { acknowledgeEscalation } from "./inbox";
import { ESCALATION_ACTOR, raiseEscalation } from "./raise";
import { resetTables } from "./test-helpers";

const h = setupEngine();

beforeEach(async () => {
  await resetTables(h.ctx);
});

async function storm(n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const task = await newTask(h.ctx, { queue: { name: "critical" } });
    const { escalation } = await inTransaction(h.ctx, (tx, at) =>
      raiseEscalation(
        tx,
        at,
        { task, reason: "dependency_conflict", context: { conflict: "cycle" } },
        ESCALATION_ACTOR,
      ),
    );
    ids.push(escalation.id);
  }
  return ids;
}

describe("bulk actions", () => {
  it("acknowledges a selection, reporting the one someone else took, then resolves them all with the note", async () => {
    const ids = await storm(5);
    await acknowledgeEscalation(h.ctx, ids[2]!, MANAGER);
    const results = await bulkActOnEscalations(h.ctx, ids, { action: "acknowledge" }, MANAGER);
    expect(results.map((r) => [r.ok, r.error?.code ?? null])).toEqual([
      [true, null],
      [true, null],
      [false, "CONFLICT"],
      [true, null],
      [true, null],
    ]);
    const resolved = await bulkActOnEscalations(
      h.ctx,
      ids,
      { action: "resolve", note: "Storm handled" },
      MANAGER,
    );
    expect(resolved.every((r) => r.ok)).toBe(true);
    const rows = await h.ctx.prisma.escalation.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => [r.status, r.resolution, r.resolvedBy])).toEqual(
      ids.map(() => ["RESOLVED", "Storm handled", MANAGER.id]),
    );
  });
});
