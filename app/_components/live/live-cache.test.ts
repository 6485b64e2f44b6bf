import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChangeEvent } from "@/lib/events";
import { queryKeys } from "../data/query-keys";
import { createLiveCache, LIVE_REFRESH_MS } from "./live-cache";

const event = (type: string, taskId: string | null = "TASK-2026-000001"): ChangeEvent => ({
  id: "1",
  type,
  taskId,
  version: 2,
  at: "2026-01-01T00:00:00.000Z",
});

describe("createLiveCache", () => {
  let client: QueryClient;
  let invalidated: unknown[][];

  beforeEach(() => {
    vi.useFakeTimers();
    client = new QueryClient();
    invalidated = [];
    vi.spyOn(client, "invalidateQueries").mockImplementation(async (filters) => {
      invalidated.push([...((filters?.queryKey as unknown[]) ?? [])]);
    });
  });
  afterEach(() => vi.useRealTimers());

  it("refreshes the task at once and every other view once per burst, within the refresh delay", () => {
    const live = createLiveCache(client);
    live.apply(event("task.transitioned"));
    live.apply(event("task.reordered", "TASK-2026-000002"));
    expect(invalidated).toEqual([queryKeys.task("TASK-2026-000001"), queryKeys.task("TASK-2026-000002")]);
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(invalidated.slice(2)).toEqual(
      expect.arrayContaining([
        queryKeys.queues,
        queryKeys.escalationsAll,
        queryKeys.metricsAll,
        queryKeys.graphAll,
      ]),
    );
    const refreshed = invalidated.length;
    vi.advanceTimersByTime(LIVE_REFRESH_MS * 4);
    expect(invalidated).toHaveLength(refreshed);
  });

  it("a progress heartbeat refreshes only the task and the graph", () => {
    const live = createLiveCache(client);
    live.apply(event("task.progress"));
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(invalidated).toEqual([queryKeys.task("TASK-2026-000001"), queryKeys.graphAll]);
  });

  it("an escalation event refreshes the inbox and badge too", () => {
    const live = createLiveCache(client);
    live.apply(event("escalation.raised"));
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(invalidated).toContainEqual(queryKeys.escalationsAll);
  });
});
