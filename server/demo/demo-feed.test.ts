import { describe, expect, it } from "vitest";
import { loadSeedTasks } from "../engine/format/seed-format";
import { setupEngine } from "../engine/state/test-support";
import { feedOnce } from "./demo-feed";

/** A fixed sequence of draws, so each arrival's kind is known. */
const draws = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe("feedOnce", () => {
  const engine = setupEngine();

  it("brings a client's whole chain under one intake, or a single task", async () => {
    const chain = await feedOnce(engine.ctx, draws(0.1, 0.2, 0.5, 0.3, 0.4), 0.35);
    expect(chain).toHaveLength(3);
    const tasks = await loadSeedTasks(engine.ctx.prisma, chain);
    expect(new Set(tasks.map((t) => t.intake_id)).size).toBe(1);
    expect(tasks[0]?.intake_id).toMatch(/^INK-/);
    expect(tasks[0]?.context.client.name).toBeTruthy();
    expect(tasks[1]?.dependencies.blocked_by).toEqual([tasks[0]?.id]);

    const single = await feedOnce(engine.ctx, draws(0.9, 0.1), 0.35);
    expect(single).toHaveLength(1);
  });
});
