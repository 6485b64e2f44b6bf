"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api-client";
import { noteServerTime } from "../time/server-clock";
import { queryKeys } from "./query-keys";
import type { QueueStatsResponse, WaitingTaskView } from "./types";

export async function fetchQueueStats(): Promise<QueueStatsResponse> {
  const stats = await apiFetch<QueueStatsResponse>("/api/v1/queues");
  noteServerTime(stats.server_time);
  return stats;
}

/** Live counts of every queue (capacity, waiting, oldest wait, at risk, breached). */
export function useQueueStats() {
  return useQuery({ queryKey: queryKeys.queues, queryFn: fetchQueueStats });
}

/** A queue's waiting list, its first `limit` tasks when given (a long queue is read by its head). */
/** A queue's waiting list: its head (`limit`), or the `limit` after the waiting task `after` (keyset). */
export const fetchQueueTasks = (queue: string, limit?: number, after?: string) => {
  const query = new URLSearchParams();
  if (limit) query.set("limit", String(limit));
  if (after) query.set("after", after);
  const qs = query.size > 0 ? `?${query}` : "";
  return apiFetch<{ tasks: WaitingTaskView[] }>(
    `/api/v1/queues/${encodeURIComponent(queue)}/tasks${qs}`,
  ).then((r) => r.tasks);
};

/** A queue's waiting list in dispatch order. */
export function useQueueTasks(queue: string) {
  return useQuery({ queryKey: queryKeys.queueTasks(queue), queryFn: () => fetchQueueTasks(queue) });
}
