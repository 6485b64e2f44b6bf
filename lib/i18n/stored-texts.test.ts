import { describe, expect, it } from "vitest";
import { SUGGESTED_ACTIONS } from "@/server/engine/escalation/policy";
import { suggestionKey } from "./stored-texts";

describe("stored suggested actions", () => {
  it("each have a catalogue entry, so every reader gets them in their language", () => {
    const unknown = Object.values(SUGGESTED_ACTIONS).filter((text) => suggestionKey(text) === null);
    expect(unknown).toEqual([]);
  });
});
