import type { ChangeEvent } from "@/lib/events";
import { LIVE_REFRESHED_KEYS, queryKeys } from "../data/query-keys";

// Which views a pushed change may affect, besides the task itself (refreshed at once) and the
// board (version-checked card upserts, board-cache.ts).

/** Changes of progress only: they cannot move a task between states, queues or counts. */
export const PROGRESS_EVENTS = new Set(["task.heartbeat", "task.progress", "task.step_advanced"]);

/** Changes of a waiting task's place in its queue only: no state, count or KPI moves. */
const ORDER_EVENTS = new Set(["task.reordered", "task.rank_assigned"]);

export type LiveKey = readonly unknown[];

/**
 * The query keys to invalidate for one event. A change names its task's queue (and the queue it
 * left, on a move), so only those waiting lists refresh; a reorder refreshes nothing else but
 * the audit trail. An event naming no queue refreshes every waiting list.
 */
export function liveKeysFor(event: ChangeEvent): LiveKey[] {
  if (PROGRESS_EVENTS.has(event.type)) return [queryKeys.graphAll];
  const queues = [event.queue, event.fromQueue].filter((q): q is string => Boolean(q));
  const waitingLists = queues.length > 0 ? queues.map(queryKeys.queueTasks) : [queryKeys.queueTasksAll];
  if (ORDER_EVENTS.has(event.type) && queues.length > 0) return [...waitingLists, queryKeys.auditAll];
  return [...LIVE_REFRESHED_KEYS, ...waitingLists];
}
