import { describe, expect, it } from "vitest";
import { resolveTaskRef, type TaskLookup } from "./task-ref";

const tasks = [
  { id: "TASK-2026-000001", title: "Analyse du brief" },
  { id: "TASK-2026-000002", title: "Cadrage technique" },
  { id: "TASK-2026-000003", title: "Cadrage graphique" },
];
const lookup: TaskLookup = {
  byId: async (id) => tasks.find((t) => t.id === id) ?? null,
  search: async (text) =>
    tasks.filter((t) => `${t.id} ${t.title}`.toLowerCase().includes(text.toLowerCase())),
};

describe("resolveTaskRef", () => {
  it("takes an existing task id typed in any case", async () => {
    expect(await resolveTaskRef(" task-2026-000002 ", lookup)).toEqual({ ok: true, id: "TASK-2026-000002" });
  });

  it("refuses an id that names no task instead of dropping it", async () => {
    expect(await resolveTaskRef("TASK-2026-000999", lookup)).toEqual({
      ok: false,
      reason: "not_found",
      text: "TASK-2026-000999",
    });
  });

  it("takes the one task a text matches, refuses none or several", async () => {
    expect(await resolveTaskRef("brief", lookup)).toEqual({ ok: true, id: "TASK-2026-000001" });
    expect(await resolveTaskRef("logo", lookup)).toMatchObject({ ok: false, reason: "no_match" });
    expect(await resolveTaskRef("cadrage", lookup)).toMatchObject({
      ok: false,
      reason: "ambiguous",
      count: 2,
    });
  });
});
