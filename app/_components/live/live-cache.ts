import type { QueryClient } from "@tanstack/react-query";
import type { ChangeEvent } from "@/lib/events";
import { applyChangeToBoard, refreshCountsAndPositions } from "../board/board-cache";
import { queryKeys } from "../data/query-keys";
import { type LiveKey, liveKeysFor, PROGRESS_EVENTS } from "./live-keys";

/** How long changes are gathered before the views refresh: well under the 1 s budget. */
export const LIVE_REFRESH_MS = 250;

export interface LiveCache {
  apply(event: ChangeEvent): void;
  /** After a reconnect: changes made while offline were not heard, refresh everything. */
  resync(): void;
  dispose(): void;
}

/**
 * Turns pushed changes into cache updates. The board gets version-checked card upserts; the
 * other views an event may affect (live-keys.ts) are invalidated, gathered over LIVE_REFRESH_MS
 * so a burst of changes costs one refetch per view (only the queries on screen refetch; the
 * others are marked stale).
 */
export function createLiveCache(queryClient: QueryClient): LiveCache {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<string, LiveKey>();
  const queues = new Set<string>();
  let recount = false;

  function flush() {
    timer = undefined;
    for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
    // One bounded read of the loaded waiting cards and the columns' counts, whatever the number
    // of queues touched or cards moved.
    if (queues.size > 0 || recount) void refreshCountsAndPositions(queryClient).catch(() => {});
    pending.clear();
    queues.clear();
    recount = false;
  }

  function schedule() {
    timer ??= setTimeout(flush, LIVE_REFRESH_MS);
  }

  return {
    apply(event) {
      const progressOnly = PROGRESS_EVENTS.has(event.type);
      if (event.taskId) void queryClient.invalidateQueries({ queryKey: queryKeys.task(event.taskId) });
      if (event.taskId) {
        void applyChangeToBoard(queryClient, event).then((change) => {
          if (progressOnly || (change.queues.length === 0 && !change.recount)) return;
          for (const queue of change.queues) queues.add(queue);
          recount ||= change.recount;
          schedule();
        });
      }
      for (const key of liveKeysFor(event)) pending.set(JSON.stringify(key), key);
      schedule();
    },
    resync() {
      void queryClient.invalidateQueries();
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}
