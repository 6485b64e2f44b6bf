import { describe, expect, it } from "vitest";
import { forecastQueue } from "./estimator";

const now = new Date("2026-03-02T09:00:00Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const MIN = 60_000;

describe("forecastQueue (queue-length estimator by list scheduling)", () => {
  it("with equal service times gives the QL estimate: the n-th waiting task waits ⌈n/s⌉ services", () => {
    const waiting = Array.from({ length: 5 }, (_, i) => ({
      id: `w${i}`,
      eligible: true,
      notBefore: null,
      serviceMs: 30 * MIN,
    }));
    const running = [
      { id: "r0", startedAt: at(-10), serviceMs: 30 * MIN },
      { id: "r1", startedAt: at(-20), serviceMs: 30 * MIN },
    ];
    const f = forecastQueue({ now, capacity: 2, running, waiting });
    expect(f.get("r0")?.finish).toEqual(at(20));
    expect(f.get("r1")?.finish).toEqual(at(10));
    expect(["w0", "w1", "w2", "w3", "w4"].map((id) => f.get(id)?.start)).toEqual([
      at(10),
      at(20),
      at(40),
      at(50),
      at(70),
    ]);
  });

  it("starts at once on a free slot, never for an ineligible task, and keeps overrunning work ahead of now", () => {
    const f = forecastQueue({
      now,
      capacity: 3,
      running: [{ id: "late", startedAt: at(-90), serviceMs: 60 * MIN }],
      waiting: [
        { id: "dep", eligible: false, notBefore: null, serviceMs: 10 * MIN },
        { id: "next", eligible: true, notBefore: null, serviceMs: 10 * MIN },
        { id: "planned", eligible: true, notBefore: at(30), serviceMs: 10 * MIN },
      ],
    });
    expect(f.get("late")?.finish).toEqual(at(6)); // 10 % of its service still to go
    expect(f.get("dep")).toBeNull();
    expect(f.get("next")).toEqual({ start: now, finish: at(10) });
    expect(f.get("planned")).toEqual({ start: at(30), finish: at(40) });
  });

  it("a task behind blockers takes a slot once they are forecast done, in waiting order, holding nobody up", () => {
    const running = [{ id: "r", startedAt: at(-50), serviceMs: 60 * MIN }]; // frees its slot at +10
    const queue = (readyAt: Date) =>
      forecastQueue({
        now,
        capacity: 1,
        running,
        waiting: [
          { id: "chained", eligible: false, readyAt, notBefore: null, serviceMs: 10 * MIN },
          { id: "free", eligible: true, notBefore: null, serviceMs: 10 * MIN },
        ],
      });
    // Its blocker is done by the time the slot frees: first in line, it goes first.
    expect(queue(at(5)).get("chained")).toEqual({ start: at(10), finish: at(20) });
    expect(queue(at(5)).get("free")?.start).toEqual(at(20));
    // Not yet: the next task takes the slot meanwhile, and the chained one starts at its moment.
    expect(queue(at(30)).get("free")?.start).toEqual(at(10));
    expect(queue(at(30)).get("chained")).toEqual({ start: at(30), finish: at(40) });
  });

  it("unlimited capacity starts everything now; a queue with no slot starts nothing", () => {
    const waiting = [{ id: "a", eligible: true, notBefore: null, serviceMs: MIN }];
    expect(forecastQueue({ now, capacity: null, running: [], waiting }).get("a")?.start).toEqual(now);
    expect(forecastQueue({ now, capacity: 0, running: [], waiting }).get("a")).toBeNull();
  });
});
