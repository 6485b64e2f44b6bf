// Fractional indexing for manual positions (drag-and-drop) without renumbering: a key is a
// base-62 fraction 0.d1d2d3… written as "d1d2d3…", never empty and never ending with "0", so
// there is always room between two keys. Keys compare as plain byte strings: SQL must order
// them with COLLATE "C" (see WAITING_ORDER_SQL). After the midpoint in rocicorp's
// `fractional-indexing` (CC0), without its integer part.

export const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function digitValue(ch: string): number {
  const value = DIGITS.indexOf(ch);
  if (value < 0) throw new Error(`Invalid fractional index digit ${JSON.stringify(ch)}`);
  return value;
}

export function isValidKey(key: string): boolean {
  return key.length > 0 && !key.endsWith("0") && [...key].every((ch) => DIGITS.includes(ch));
}

/** A key strictly between a (or 0 when "") and b (or 1 when null); assumes a < b. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    // Skip the common prefix (a padded with zeros).
    let n = 0;
    while ((a[n] ?? "0") === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const low = a ? digitValue(a[0] as string) : 0;
  const high = b !== null ? digitValue(b[0] as string) : DIGITS.length;
  if (high - low > 1) return DIGITS[Math.round((low + high) / 2)] as string;
  // Consecutive first digits.
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[low] + midpoint(a.slice(1), null);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A key strictly between `before` and `after` (either may be null: no bound on that side). */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && !isValidKey(before)) throw new Error(`Invalid key ${JSON.stringify(before)}`);
  if (after !== null && !isValidKey(after)) throw new Error(`Invalid key ${JSON.stringify(after)}`);
  if (before !== null && after !== null && compareKeys(before, after) >= 0) {
    throw new Error(`keyBetween: ${before} is not before ${after}`);
  }
  return midpoint(before ?? "", after);
}

/** `count` increasing keys strictly between the bounds, spread by bisection so they stay short. */
export function keysBetween(before: string | null, after: string | null, count: number): string[] {
  if (count <= 0) return [];
  const mid = keyBetween(before, after);
  const left = Math.floor((count - 1) / 2);
  return [...keysBetween(before, mid, left), mid, ...keysBetween(mid, after, count - 1 - left)];
}

export interface RankSlot {
  id: string;
  rank: string | null;
}

export interface RankPlan {
  /** The moved task's new rank. */
  rank: string;
  /** Neighbours that had no rank and need one so the order is exactly the requested one. */
  assign: { id: string; rank: string }[];
}

/**
 * Where to put a task so it lands at `index` of `list` (the queue's waiting tasks in order,
 * without the moved task). Ranked tasks come first (NULLS LAST), so when the target lies among
 * unranked ones, the unranked tasks before it get increasing ranks after the last ranked one;
 * the tasks after it keep their place and nobody is renumbered.
 */
export function planRank(list: readonly RankSlot[], index: number): RankPlan {
  if (index < 0 || index > list.length) throw new Error(`planRank: index ${index} out of 0..${list.length}`);
  let ranked = 0;
  while (ranked < list.length && list[ranked]?.rank != null) ranked++;
  if (list.slice(ranked).some((slot) => slot.rank !== null)) {
    throw new Error("planRank: ranked tasks must come before unranked ones");
  }
  if (index <= ranked) {
    const low = index > 0 ? (list[index - 1]?.rank ?? null) : null;
    const high = index < ranked ? (list[index]?.rank ?? null) : null;
    return { rank: keyBetween(low, high), assign: [] };
  }
  const low = ranked > 0 ? (list[ranked - 1]?.rank ?? null) : null;
  const keys = keysBetween(low, null, index - ranked + 1);
  const assign = list.slice(ranked, index).map((slot, i) => ({ id: slot.id, rank: keys[i] as string }));
  return { rank: keys[keys.length - 1] as string, assign };
}
