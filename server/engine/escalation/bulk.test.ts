import { beforeEach, describe, expect, it } from "vitest";
import { MANAGER, setupEngine } from "../state/test-support";
import { bulkActOnEscalations } from "./bulk";
import { acknowledgeEscalation } from "./inbox";
import { resetTables, standingEscalation } from "./test-helpers";

const h = setupEngine();

beforeEach(async () => {
  await resetTables(h.ctx);
});

async function storm(n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await standingEscalation(h.ctx, "critical")).id);
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
