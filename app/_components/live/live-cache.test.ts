import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChangeEvent } from "@/lib/events";
import { queryKeys } from "../data/query-keys";
import { createLiveCache, LIVE_REFRESH_MS } from "./live-cache";

const event = (
  type: string,
  taskId: string | null = "TASK-2026-000001",
  queue: string | null = "normal",
): ChangeEvent => ({
  id: "1",
  type,
  taskId,
  version: 2,
  queue,
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

  it("a reorder refreshes only its queue's waiting list (and the audit trail), not every queue", () => {
    const live = createLiveCache(client);
    live.apply(event("task.reordered", "TASK-2026-000003", "urgent"));
    live.apply(event("task.rank_assigned", "TASK-2026-000004", "urgent"));
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(invalidated.slice(2)).toEqual([queryKeys.queueTasks("urgent"), queryKeys.auditAll]);
  });

  it("a state change refreshes its queue's list and the shared views; a move both queues' lists", () => {
    const live = createLiveCache(client);
    live.apply({ ...event("task.moved", "TASK-2026-000005", "urgent"), fromQueue: "normal" });
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(invalidated).toEqual(
      expect.arrayContaining([
        queryKeys.queueTasks("urgent"),
        queryKeys.queueTasks("normal"),
        queryKeys.queues,
      ]),
    );
    expect(invalidated).not.toContainEqual(queryKeys.queueTasksAll);
  });

  it("an event naming no queue refreshes every waiting list", () => {
    const live = createLiveCache(client);
    live.apply(event("schedule.ran", null, null));
    vi.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(invalidated).toContainEqual(queryKeys.queueTasksAll);
  });
});
