import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BoardCard, BoardSnapshot } from "@/lib/board";
import type { ChangeEvent } from "@/lib/events";
import {
  applyChangeToBoard,
  applyWaitingPositions,
  boardQueryKey,
  changesCounts,
  mergeColumnPage,
  upsertCard,
} from "./board-cache";

const card = (id: string, version: number, title = `t${version}`): BoardCard => ({
  id,
  title,
  state: "QUEUED",
  queue: "normal",
  position: 0,
  priorityScore: 50,
  slaDeadline: null,
  progressPercent: 0,
  assignedTo: null,
  skillTarget: "",
  clientName: null,
  blockerReason: null,
  waitingOn: 0,
  escalationUrgency: null,
  intakeId: null,
  projectType: null,
  version,
  updatedAt: "2026-01-01T00:00:00.000Z",
});

const counts = (queued: number): BoardSnapshot["counts"] => ({
  CREATED: 0,
  QUEUED: queued,
  ON_HOLD: 0,
  SCHEDULED: 0,
  IN_PROGRESS: 0,
  COMPLETED: 0,
  FAILED: 0,
  BLOCKED: 0,
  UNBLOCKED: 0,
  CANCELLED: 0,
});

const snapshot = (...cards: BoardCard[]): BoardSnapshot => ({
  cards,
  columns: [{ state: "QUEUED", total: cards.length, nextCursor: null }],
  counts: counts(cards.length),
  serverTime: "2026-01-01T00:00:00.000Z",
});

describe("upsertCard", () => {
  it("adds an unknown card", () => {
    expect(upsertCard(snapshot(card("A", 1)), card("B", 2)).cards.map((c) => c.id)).toEqual(["A", "B"]);
  });

  it("replaces a card with a newer version", () => {
    expect(upsertCard(snapshot(card("A", 2)), card("A", 3, "new")).cards[0]?.title).toBe("new");
  });

  it("ignores a stale or repeated version", () => {
    const held = snapshot(card("A", 5, "current"));
    expect(upsertCard(held, card("A", 4, "stale"))).toBe(held);
    expect(upsertCard(held, card("A", 5, "again"))).toBe(held);
  });

  it("takes the same version when its escalation urgency changed (escalations do not bump versions)", () => {
    const held = snapshot(card("A", 5));
    const escalated = upsertCard(held, { ...card("A", 5), escalationUrgency: "high" });
    expect(escalated.cards[0]?.escalationUrgency).toBe("high");
    expect(upsertCard(escalated, { ...card("A", 4), escalationUrgency: null })).toBe(escalated);
  });

  it("moves a held card's count to its new column (an empty column must not hide it)", () => {
    const moved = upsertCard(snapshot(card("A", 1), card("B", 1)), { ...card("A", 2), state: "SCHEDULED" });
    expect(moved.counts).toMatchObject({ QUEUED: 1, SCHEDULED: 1 });
    // Same column, newer version: the counts stay.
    const edited = upsertCard(moved, { ...card("B", 2), title: "renamed" });
    expect(edited.counts).toBe(moved.counts);
  });
});

describe("changesCounts", () => {
  it("asks for the server's counts for a card new to the board or moved, not for an edit in place", () => {
    const held = card("A", 1);
    expect(changesCounts([], card("A", 1))).toBe(true);
    expect(changesCounts([held], { ...card("A", 2), state: "SCHEDULED" })).toBe(true);
    expect(changesCounts([held], { ...card("A", 2), title: "renamed" })).toBe(false);
  });
});

describe("applyWaitingPositions", () => {
  it("takes the positions of the waiting cards read again, leaving the others alone", () => {
    const a = { ...card("A", 1), position: 0 };
    const b = { ...card("B", 1), position: 1 };
    const other = { ...card("C", 1), queue: "urgent", position: 0 };
    const next = applyWaitingPositions(snapshot(a, b, other), [
      { id: "B", position: 0 },
      { id: "A", position: 1 },
    ]);
    expect(next.cards.map((c) => [c.id, c.position])).toEqual([
      ["A", 1],
      ["B", 0],
      ["C", 0],
    ]);
  });

  it("returns the same snapshot when nothing moved", () => {
    const held = snapshot({ ...card("A", 1), position: 0 });
    expect(applyWaitingPositions(held, [{ id: "A", position: 0 }])).toBe(held);
  });
});

describe("mergeColumnPage", () => {
  it("adds a column's next page, its cursor and the server's counts", () => {
    const held = {
      ...snapshot(card("A", 1)),
      columns: [{ state: "QUEUED" as const, total: 3, nextCursor: "1" }],
    };
    const page: BoardSnapshot = {
      cards: [card("B", 1), card("A", 1)],
      columns: [{ state: "QUEUED", total: 4, nextCursor: null }],
      counts: counts(4),
      serverTime: "2026-01-01T00:00:01.000Z",
    };
    const next = mergeColumnPage(held, page);
    expect(next.cards.map((c) => c.id)).toEqual(["A", "B"]);
    expect(next.columns).toEqual([{ state: "QUEUED", total: 4, nextCursor: null }]);
    expect(next.counts.QUEUED).toBe(4);
  });
});

describe("applyChangeToBoard while the board is being read", () => {
  afterEach(() => vi.unstubAllGlobals());

  const created: ChangeEvent = {
    id: "9",
    type: "task.created",
    taskId: "NEW",
    version: 1,
    queue: "normal",
    at: "2026-01-01T00:00:00.000Z",
  };

  /** A board read the test answers when it wants, and a server that serves the event's card. */
  function setUp() {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    let answer: (snapshot: BoardSnapshot) => void = () => {};
    const read = () =>
      client.fetchQuery({
        queryKey: boardQueryKey(),
        queryFn: () => new Promise<BoardSnapshot>((resolve) => (answer = resolve)),
        staleTime: 0,
      });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify({ card: card("NEW", 1) }), { status: 200 })),
    );
    const ids = () => client.getQueryData<BoardSnapshot>(boardQueryKey())?.cards.map((c) => c.id);
    return { client, read, answer: (s: BoardSnapshot) => answer(s), ids };
  }

  it("places a card whose event arrived before the board's first read answered", async () => {
    const { client, read, answer, ids } = setUp();
    const loading = read();
    const applied = applyChangeToBoard(client, created);
    // The read was sent before the task existed: its answer does not hold it.
    answer(snapshot(card("A", 1)));
    await loading;
    await applied;
    expect(ids()).toEqual(["A", "NEW"]);
  });

  it("keeps a card whose event arrived while the board was read again", async () => {
    const { client, read, answer, ids } = setUp();
    const first = read();
    answer(snapshot(card("A", 1)));
    await first;
    const again = read();
    const applied = applyChangeToBoard(client, created);
    // Let the card's read answer first (the stubbed server answers at once, in microtasks), as a
    // small card read does before a whole board's.
    await new Promise((resolve) => setImmediate(resolve));
    answer(snapshot(card("A", 1)));
    await again;
    await applied;
    expect(ids()).toEqual(["A", "NEW"]);
  });
});
