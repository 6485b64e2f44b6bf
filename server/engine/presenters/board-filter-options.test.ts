import { describe, expect, it } from "vitest";
import { newTask, setupEngine } from "../state/test-support";
import { boardFilterOptions } from "./board-filter-options";

const h = setupEngine();

describe("boardFilterOptions", () => {
  it("offers the distinct values of every live task, not the finished ones, sorted", async () => {
    const live = async (skill: string, client?: string) =>
      newTask(h.ctx, {
        definition: { title: "t", type: "analysis", skill_target: skill },
        ...(client ? { context: { client: { name: client } } } : {}),
      });
    await live("frontend", "Zeta");
    await live("backend", "Acme");
    await live("backend", "Acme");
    await live("design");
    const gone = await live("copywriting", "Old Client");
    await h.ctx.prisma.task.update({ where: { id: gone.id }, data: { state: "COMPLETED" } });
    await h.ctx.prisma.task.updateMany({ where: { clientName: "Zeta" }, data: { assignedTo: "ana" } });

    const options = await boardFilterOptions(h.ctx.prisma);
    expect(options.skills).toEqual(["backend", "design", "frontend"]);
    expect(options.clients).toEqual(["Acme", "Zeta"]);
    expect(options.assignees).toEqual(["ana"]);
    expect(options.intakes).toEqual([]);
  });
});
