import { describe, expect, it } from "vitest";
import { forceState, newTask, setupEngine } from "../state/test-support";
import { instantiateTemplate } from "../state/workflow-engine";
import { listTaskIds } from "./task-list";

// GET /tasks: search over id, title, client, project type, intake id and the description's start
// (the trigram index's expression), and keyset pages by id that see every match once.

const h = setupEngine();

describe("task list", () => {
  it("finds a substring of the id, title, client, project type or intake id, case-insensitively", async () => {
    const titled = await newTask(h.ctx, {
      definition: { title: "Refonte Zanzibar checkout", type: "development" },
    });
    const client = await newTask(h.ctx, { context: { client: { name: "Maison Quetzal" } } });
    const project = await newTask(h.ctx, { context: { project: { type: "app_ornithorynque" } } });
    const intake = await newTask(h.ctx, { intake_id: "intake-kumquat-42" });
    const other = await newTask(h.ctx, { definition: { title: "100% done_ish", type: "analysis" } });
    const ids = async (q: string) => (await listTaskIds(h.ctx.prisma, { q })).ids;

    expect(await ids("zanzibar")).toEqual([titled.id]);
    expect(await ids("QUETZAL")).toEqual([client.id]);
    expect(await ids("ornithorynque")).toEqual([project.id]);
    expect(await ids("kumquat-42")).toEqual([intake.id]);
    expect(await ids(titled.id.toLowerCase())).toEqual([titled.id]);
    // LIKE's wildcards are taken literally.
    expect(await ids("0% d")).toEqual([other.id]);
    expect(await ids("e_i")).toEqual([other.id]);
    expect(await ids("%")).toEqual([other.id]);
  });

  it("finds a template chain by the client's request kept in its descriptions", async () => {
    const chain = await instantiateTemplate(
      h.ctx,
      "ecommerce-redesign",
      { intake_id: "INK-2026-000777", request: "Refonte boutique Xylophage, budget 20k€" },
      { id: "client-intake", role: "system" },
    );
    const ids = (await listTaskIds(h.ctx.prisma, { q: "boutique xylophage" })).ids.sort();
    expect(ids).toEqual(chain.map((t) => t.id).sort());
    expect(chain[0]!.description).toContain("Refonte boutique Xylophage");
  });

  it("pages by keyset: every match once, newest first, archived ones only when asked", async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push(await newTask(h.ctx, { definition: { title: `Paged pelican ${i}`, type: "analysis" } }));
    }
    const archived = made[2]!;
    await forceState(h.ctx, archived.id, "COMPLETED", { archivedAt: h.clock.now() });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTaskIds(h.ctx.prisma, { q: "pelican", limit: 3, cursor });
      seen.push(...page.ids);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = made
      .map((t) => t.id)
      .filter((id) => id !== archived.id)
      .sort()
      .reverse();
    expect(seen).toEqual(expected);
    const all = await listTaskIds(h.ctx.prisma, { q: "pelican", include_archived: "true" });
    expect(all.ids).toContain(archived.id);
  });
});
