import { describe, expect, it } from "vitest";
import type { BoardCard } from "@/lib/board";
import { atRiskCards } from "./at-risk";

const card = (id: string, slaDeadline: string | null, state: BoardCard["state"] = "QUEUED") =>
  ({ id, slaDeadline, state }) as BoardCard;

describe("atRiskCards", () => {
  it("keeps live tasks under an hour from their deadline or past it, soonest first", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    const cards = [
      card("later", "2026-01-01T14:00:00Z"),
      card("soon", "2026-01-01T12:30:00Z"),
      card("late", "2026-01-01T11:00:00Z"),
      card("done", "2026-01-01T11:00:00Z", "COMPLETED"),
      card("none", null),
    ];
    expect(atRiskCards(cards, now).map((c) => c.id)).toEqual(["late", "soon"]);
  });
});
