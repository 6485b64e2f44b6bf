import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeEvent } from "@/lib/events";
import { createTestDatabase, type TestDatabase } from "../../test/database";
import { waitFor } from "../../test/wait-for";
import type { Database, SqlQuery } from "../db/client";
import { logger } from "../logger";
import { ChangeBus } from "./change-bus";

// The change bus reads notified events in batches: a transaction's events are one batch, and
// notices heard while a read is running are read together in one query afterwards.

describe("ChangeBus", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** A transaction writing `types` as events of no task, with its one NOTIFY at the end. */
  async function commit(...types: string[]): Promise<string[]> {
    return db.prisma.$transaction(async (tx) => {
      const ids: string[] = [];
      for (const type of types) {
        const row = await tx.event.create({
          data: { at: new Date(), type, payload: {} },
          select: { id: true },
        });
        ids.push(row.id.toString());
      }
      await tx.$queryRaw`SELECT orch_flush_events()`;
      return ids;
    });
  }

  /** The database with its reads held until `release()`, counting reads and notices heard. */
  function gated(): { db: Database; release: () => void; reads: () => number; heard: () => number } {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let reads = 0;
    let heard = 0;
    const sql: SqlQuery = async (text, values) => {
      reads += 1;
      await gate;
      return db.sql(text, values);
    };
    return {
      db: {
        ...db,
        sql,
        listen: (channel, onPayload, options) =>
          db.listen(
            channel,
            (payload) => {
              heard += 1;
              onPayload(payload);
            },
            options,
          ),
      },
      release: open,
      reads: () => reads,
      heard: () => heard,
    };
  }

  it("gives a transaction's events as one batch, and gathers notices heard during a read into the next", async () => {
    const bus = new ChangeBus();
    const held = gated();
    await bus.start(held.db, logger.child({}, { level: "warn" }));
    const batches: ChangeEvent[][] = [];
    const single: ChangeEvent[] = [];
    bus.subscribeBatches((events) => batches.push(events));
    bus.subscribe((event) => single.push(event));
    try {
      const first = await commit("test.a1", "test.a2", "test.a3");
      await waitFor("the first read to start", () => held.reads() === 1);
      const second = await commit("test.b1");
      const third = await commit("test.c1", "test.c2");
      await waitFor("both later notices to be heard", () => held.heard() === 3);
      held.release();
      await waitFor("two batches", () => batches.length === 2 && single.length === 6);
      expect(batches.map((b) => b.map((e) => e.id))).toEqual([first, [...second, ...third]]);
      expect(batches[1]?.map((e) => e.type)).toEqual(["test.b1", "test.c1", "test.c2"]);
      expect(single.map((e) => e.id)).toEqual([...first, ...second, ...third]);
      expect(held.reads()).toBe(2);
    } finally {
      await bus.stop();
    }
  });
});
