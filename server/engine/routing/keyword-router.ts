import { CAPABILITIES, type Capability, ROUTING_TABLE } from "@/lib/routing-table";

export interface RouteMatch {
  capability: Capability;
  /** The keywords found in the request, in the order of the table. */
  keywords: string[];
  /** Task ids named in the request (TASK-YYYY-NNNNNN), in order of appearance. */
  taskIds: string[];
  /** Other capabilities that matched with as many keywords, for a "did you mean" answer. */
  alternatives: Capability[];
}

/** Lower case, accents kept (they carry meaning in French), apostrophes unified, spaces folded. */
function normalise(text: string): string {
  return ` ${text.toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, " ")} `;
}

const stripAccents = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "");

/**
 * A keyword matches as a whole word (or phrase), with or without accents, so "etat" finds
 * "état" and "bumped" does not hide in "bump" — but "bump" does not match "bumpy".
 */
function containsKeyword(haystack: string, keyword: string): boolean {
  const escaped = stripAccents(keyword).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(e?s|ed|ing|é|ée|ées|er)?(?=$|[^\\p{L}\\p{N}])`, "u").test(
    stripAccents(haystack),
  );
}

/**
 * Routes a free-text request or command ("bump TASK-2026-000123", "annuler TASK-…", "rapport de
 * la semaine") to the capability of the seed's routing table with the most keyword hits;
 * ties go to the table's order. Returns null when nothing matches.
 */
export function routeRequest(text: string): RouteMatch | null {
  const haystack = normalise(text);
  const taskIds = [...text.matchAll(/TASK-\d{4}-\d{6}/gi)].map((m) => m[0].toUpperCase());
  const scored = CAPABILITIES.map((capability) => ({
    capability,
    keywords: ROUTING_TABLE[capability].filter((k) => containsKeyword(haystack, k)),
  })).filter((s) => s.keywords.length > 0);
  if (scored.length === 0) return null;
  // The first keyword in the text breaks ties between equal scores: "bump … queue" is a bump.
  const firstHit = (keywords: string[]) =>
    Math.min(...keywords.map((k) => stripAccents(haystack).indexOf(stripAccents(k))));
  scored.sort((a, b) => b.keywords.length - a.keywords.length || firstHit(a.keywords) - firstHit(b.keywords));
  const [best, ...rest] = scored;
  if (!best) return null;
  return {
    capability: best.capability,
    keywords: best.keywords,
    taskIds,
    alternatives: rest.filter((r) => r.keywords.length === best.keywords.length).map((r) => r.capability),
  };
}
