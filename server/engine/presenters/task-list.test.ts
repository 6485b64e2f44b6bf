import { describe, expect, it } from "vitest";
import { scheduleTask } from "../state/lifecycle";
import { forceState, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { updateTask } from "../state/update-task";
import { instantiateTemplate } from "../state/workflow-engine";
import { listTaskIds } from "./task-list";

// GET /tasks: search over id, title, client, project type, intake id and the description's start
// (task_search, kept by triggers on tasks), and keyset pages by id that see every match once.

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

  it("follows an edit of the searched text, and a state change leaves that text unwritten", async () => {
    const task = await newTask(h.ctx, { definition: { title: "Audit Wombat", type: "analysis" } });
    const ids = async (q: string) => (await listTaskIds(h.ctx.prisma, { q })).ids;
    // The search row's version (xmin): a state change must not write it (nor its trigrams).
    const searchRowVersion = async () =>
      (
        await h.ctx.prisma.$queryRaw<{ xmin: string }[]>`
          SELECT xmin::text AS xmin FROM task_search WHERE task_id = ${task.id}`
      )[0]?.xmin;
    expect(await ids("wombat")).toEqual([task.id]);
    const before = await searchRowVersion();
    const scheduled = (await scheduleTask(h.ctx, task.id, SYSTEM)).task;
    expect(await searchRowVersion()).toBe(before);

    await updateTask(
      h.ctx,
      task.id,
      { expected_version: scheduled.version, definition: { title: "Audit Numbat" } },
      OPERATOR,
    );
    expect(await ids("wombat")).toEqual([]);
    expect(await ids("numbat")).toEqual([task.id]);
    expect(await searchRowVersion()).not.toBe(before);
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
