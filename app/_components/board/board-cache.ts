import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { BOARD_TERMINAL_RECENT, type BoardCard, type BoardSnapshot } from "@/lib/board";
import type { ChangeEvent } from "@/lib/events";
import type { TaskStateName } from "@/lib/states";
import { ApiError, apiFetch } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { noteServerTime } from "../time/server-clock";
import { type BoardFilters, FILTER_KEYS } from "./board-model";

// The board's cache: one entry per set of filters (["board", filters]), each the server's
// paged read model (first page of every column, more fetched on scroll). Live changes patch
// every entry card by card; filters are applied by the server, and again on screen to the
// cards a live change brought.

/** Prefix of every board entry; invalidating it refreshes them all. */
export const BOARD_QUERY_KEY = queryKeys.board;

/** What a board entry is filtered by: the URL's filters, and the wall's at-risk list. */
export type BoardQuery = BoardFilters & { at_risk?: "true" };
const QUERY_KEYS = [...FILTER_KEYS, "at_risk"] as const;

const activeFilters = (filters: BoardQuery): BoardQuery =>
  Object.fromEntries(
    QUERY_KEYS.flatMap((key) => (filters[key]?.trim() ? [[key, filters[key]?.trim()]] : [])),
  );

export const boardQueryKey = (filters: BoardQuery = {}) =>
  [...BOARD_QUERY_KEY, activeFilters(filters)] as const;

function boardUrl(filters: BoardQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(activeFilters(filters) as Record<string, string>), ...extra });
  const query = params.toString();
  return `/api/v1/board${query ? `?${query}` : ""}`;
}

const filtersOf = (key: QueryKey): BoardQuery => (key[1] ?? {}) as BoardQuery;

export async function fetchBoard(filters: BoardQuery = {}): Promise<BoardSnapshot> {
  const snapshot = await apiFetch<BoardSnapshot>(boardUrl(filters));
  noteServerTime(snapshot.serverTime);
  return snapshot;
}

/**
 * Replaces a card only with a newer version of it, so late or repeated events change nothing —
 * or with the same version whose escalation urgency changed (escalations do not bump the task's
 * version; an escalation event brings the new urgency).
 */
export function upsertCard(snapshot: BoardSnapshot, card: BoardCard): BoardSnapshot {
  const index = snapshot.cards.findIndex((c) => c.id === card.id);
  if (index === -1) return { ...snapshot, cards: [...snapshot.cards, card] };
  const held = snapshot.cards[index]!;
  if (held.version > card.version) return snapshot;
  if (held.version === card.version && held.escalationUrgency === card.escalationUrgency) return snapshot;
  const cards = snapshot.cards.slice();
  cards[index] = card;
  if (held.state === card.state) return { ...snapshot, cards };
  // A held card was counted in its old column: it now counts in its new one, until the server's
  // counts come (an unknown card may already be counted in a page not loaded: that waits for them).
  const counts = { ...snapshot.counts };
  counts[held.state] = Math.max(0, counts[held.state] - 1);
  counts[card.state] += 1;
  return { ...snapshot, cards, counts };
}

/** Whether a card fetched for an event may change the columns' counts: new to the board, or moved. */
export const changesCounts = (helds: readonly BoardCard[], card: BoardCard): boolean =>
  helds.length === 0 || helds.some((held) => held.state !== card.state);

/**
 * Adds a column's next page to the board: its cards (version-checked like live upserts), the
 * column's new cursor, and the server's counts.
 */
export function mergeColumnPage(snapshot: BoardSnapshot, page: BoardSnapshot): BoardSnapshot {
  let next = snapshot;
  for (const card of page.cards) next = upsertCard(next, card);
  const paged = new Map(page.columns.map((c) => [c.state, c]));
  return {
    ...next,
    columns: next.columns.map((c) => paged.get(c.state) ?? c),
    counts: page.counts,
    serverTime: page.serverTime,
  };
}

/** Fetches the next page of a column (when it has one) into the board entry of `filters`. */
export async function loadMoreOfColumn(
  queryClient: QueryClient,
  filters: BoardFilters,
  state: TaskStateName,
): Promise<void> {
  const key = boardQueryKey(filters);
  const cursor = queryClient
    .getQueryData<BoardSnapshot>(key)
    ?.columns.find((c) => c.state === state)?.nextCursor;
  if (!cursor) return;
  const page = await apiFetch<BoardSnapshot>(boardUrl(filters, { state, cursor }));
  queryClient.setQueryData<BoardSnapshot>(key, (current) =>
    current ? mergeColumnPage(current, page) : current,
  );
}

/**
 * A reorder, a move or a dispatch shifts the positions of other waiting tasks without changing
 * their versions: take the positions of the loaded waiting cards from a fresh read of the
 * loaded part of the QUEUED column (`waiting`), and the server's counts.
 */
export function applyWaitingPositions(
  snapshot: BoardSnapshot,
  waiting: readonly { id: string; position: number | null }[],
  counts: BoardSnapshot["counts"] = snapshot.counts,
): BoardSnapshot {
  const positions = new Map(waiting.map((t) => [t.id, t.position]));
  let changed = counts !== snapshot.counts;
  const cards = snapshot.cards.map((card) => {
    if (card.state !== "QUEUED") return card;
    const position = positions.get(card.id);
    if (position === undefined || position === null || position === card.position) return card;
    changed = true;
    return { ...card, position };
  });
  return changed ? { ...snapshot, cards, counts } : snapshot;
}

/**
 * Re-reads the loaded part of each board entry's QUEUED column (one bounded read each) for the
 * waiting positions, and every column's count on the server.
 */
export async function refreshCountsAndPositions(queryClient: QueryClient): Promise<void> {
  for (const [key, held] of queryClient.getQueriesData<BoardSnapshot>({ queryKey: BOARD_QUERY_KEY })) {
    if (!held) continue;
    const loaded = held.cards.filter((c) => c.state === "QUEUED").length;
    const limit = String(Math.min(Math.max(loaded, 1), BOARD_TERMINAL_RECENT));
    const page = await apiFetch<BoardSnapshot>(boardUrl(filtersOf(key), { state: "QUEUED", limit }));
    queryClient.setQueryData<BoardSnapshot>(key, (current) =>
      current ? applyWaitingPositions(current, page.cards, page.counts) : current,
    );
  }
}

/**
 * Resolves once no board entry is being fetched. A snapshot read before an event was committed
 * but answered after it would land over the card the event brought, or, on a board still
 * loading, leave the event nowhere to go: either way the card would be missing until the next
 * change to it.
 */
export function boardFetchesSettled(queryClient: QueryClient): Promise<void> {
  const fetching = () => queryClient.isFetching({ queryKey: BOARD_QUERY_KEY }) > 0;
  if (!fetching()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = queryClient.getQueryCache().subscribe(() => {
      if (fetching()) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * Fetches the card an event names (once), when newer than one held (or after an escalation
 * event, which changes its urgency), and upserts it in every board entry. Returns the queues
 * whose waiting order may have changed (the card's queue before and after), and whether the
 * columns' counts should be read again (a card new to the board, or moved to another column).
 */
export async function applyChangeToBoard(queryClient: QueryClient, event: ChangeEvent): Promise<BoardChange> {
  const none: BoardChange = { queues: [], recount: false };
  if (!event.taskId) return none;
  await boardFetchesSettled(queryClient);
  const entries = queryClient.getQueriesData<BoardSnapshot>({ queryKey: BOARD_QUERY_KEY });
  if (!entries.some(([, snapshot]) => snapshot)) return none;
  const helds = entries.flatMap(([, snapshot]) => snapshot?.cards.filter((c) => c.id === event.taskId) ?? []);
  if (
    helds.length === entries.length &&
    event.version !== null &&
    helds.every((held) => held.version >= (event.version ?? 0))
  ) {
    return none;
  }
  try {
    const { card } = await apiFetch<{ card: BoardCard }>(
      `/api/v1/board/cards/${encodeURIComponent(event.taskId)}`,
    );
    queryClient.setQueriesData<BoardSnapshot>({ queryKey: BOARD_QUERY_KEY }, (current) =>
      current ? upsertCard(current, card) : current,
    );
    // An escalation event (no task version) changes the card's urgency, never a queue's order.
    if (event.version === null) return none;
    const touched = new Set<string>();
    if (card.state === "QUEUED") touched.add(card.queue);
    for (const held of helds) if (held.state === "QUEUED") touched.add(held.queue);
    return { queues: [...touched], recount: changesCounts(helds, card) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return none;
    void queryClient.invalidateQueries({ queryKey: BOARD_QUERY_KEY });
    return none;
  }
}

export interface BoardChange {
  /** Queues whose waiting order may have changed. */
  queues: string[];
  /** The columns' counts may have changed: read them again. */
  recount: boolean;
}
