import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DIGITS, isValidKey, keyBetween, keysBetween, planRank, type RankSlot } from "./fractional-index";

const key = fc
  .array(fc.constantFrom(...DIGITS), { minLength: 1, maxLength: 6 })
  .map((d) => d.join(""))
  .filter(isValidKey);

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("keyBetween", () => {
  it("finds keys at the edges and in the middle", () => {
    expect(keyBetween(null, null)).toBe("V");
    expect(keyBetween("V", null) > "V").toBe(true);
    expect(keyBetween(null, "V") < "V").toBe(true);
    expect(keyBetween("1", "2")).toBe("1V");
    expect(keyBetween("a", "a1")).toMatch(/^a0/);
  });

  it("is strictly between any two distinct valid keys, valid, and never needs renumbering", () => {
    fc.assert(
      fc.property(key, key, (x, y) => {
        fc.pre(x !== y);
        const [lo, hi] = [x, y].sort(byteOrder) as [string, string];
        const mid = keyBetween(lo, hi);
        expect(isValidKey(mid)).toBe(true);
        expect(lo < mid && mid < hi).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps keys short when always inserting at the same spot", () => {
    let low: string | null = null;
    let high: string | null = null;
    for (let i = 0; i < 100; i++) {
      const k = keyBetween(low, high);
      if (i % 2 === 0) low = k;
      else high = k;
    }
    expect((low ?? "").length).toBeLessThan(25);
  });

  it("refuses bad bounds", () => {
    expect(() => keyBetween("b", "a")).toThrow();
    expect(() => keyBetween("a0", null)).toThrow();
    expect(() => keyBetween("a-", null)).toThrow();
  });
});

describe("keysBetween", () => {
  it("gives n increasing short keys", () => {
    const keys = keysBetween(null, null, 300);
    expect(keys).toHaveLength(300);
    for (let i = 1; i < keys.length; i++) expect((keys[i - 1] as string) < (keys[i] as string)).toBe(true);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(4);
  });
});

/** Sorts like WAITING_ORDER_SQL: rank (bytes) NULLS LAST, then the unranked tasks' own order. */
function sortLikeSql(slots: RankSlot[], natural: Map<string, number>): string[] {
  return [...slots]
    .sort((a, b) => {
      if (a.rank !== null && b.rank !== null) return byteOrder(a.rank, b.rank);
      if (a.rank !== null) return -1;
      if (b.rank !== null) return 1;
      return (natural.get(a.id) ?? 0) - (natural.get(b.id) ?? 0);
    })
    .map((s) => s.id);
}

describe("planRank", () => {
  it("puts the task exactly at the requested index, keeping everyone else's order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: 16 }),
        (rankedCount, unrankedCount, seed, rawIndex) => {
          const ranks = keysBetween(null, null, rankedCount);
          const list: RankSlot[] = [
            ...ranks.map((rank, i) => ({ id: `r${i}`, rank })),
            ...Array.from({ length: unrankedCount }, (_, i) => ({ id: `u${i}`, rank: null })),
          ];
          const natural = new Map(list.map((s, i) => [s.id, i + (seed % 3)]));
          const index = rawIndex % (list.length + 1);
          const plan = planRank(list, index);
          const assigned = new Map(plan.assign.map((a) => [a.id, a.rank]));
          const after = [
            ...list.map((s) => ({ id: s.id, rank: assigned.get(s.id) ?? s.rank })),
            { id: "moved", rank: plan.rank },
          ];
          natural.set("moved", -1);
          const expected = [...list.map((s) => s.id)];
          expected.splice(index, 0, "moved");
          expect(sortLikeSql(after, natural)).toEqual(expected);
          // Only unranked tasks before the target get a rank.
          for (const a of plan.assign) expect(list.find((s) => s.id === a.id)?.rank).toBeNull();
          expect(plan.assign.length).toBe(Math.max(0, index - rankedCount));
        },
      ),
      { numRuns: 300 },
    );
  });
});
