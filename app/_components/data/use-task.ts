"use client";

import { type QueryClient, useQuery } from "@tanstack/react-query";
import type { AuditPage } from "@/lib/metrics";
import type { SeedTask } from "@/lib/seed-format";
import { apiFetch, queryString } from "../api-client";
import { type Params, queryKeys } from "./query-keys";

export const fetchTask = (id: string) =>
  apiFetch<{ task: SeedTask }>(`/api/v1/tasks/${encodeURIComponent(id)}`).then((r) => r.task);

/** One task in the seed format; the live layer refetches it when it changes. */
export function useTask(id: string) {
  return useQuery({ queryKey: queryKeys.task(id), queryFn: () => fetchTask(id) });
}

/** A task from the cache when fresh enough, else from the server (graph, pickers). */
export const ensureTask = (queryClient: QueryClient, id: string) =>
  queryClient.fetchQuery({ queryKey: queryKeys.task(id), queryFn: () => fetchTask(id), staleTime: 30_000 });

/** Writes a task the server answered with, so the page shows it before the live event arrives. */
export function storeTask(queryClient: QueryClient, task: SeedTask): void {
  queryClient.setQueryData<SeedTask>(queryKeys.task(task.id), (held) =>
    held && held.metadata.version > task.metadata.version ? held : task,
  );
}

export function useTaskAudit(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.taskAudit(id),
    queryFn: () => apiFetch<AuditPage>(`/api/v1/audit${queryString({ task_id: id, limit: 100 })}`),
    enabled,
  });
}

export interface TaskPage {
  tasks: SeedTask[];
  next_cursor: string | null;
}

export const fetchTasks = (params: Params) => apiFetch<TaskPage>(`/api/v1/tasks${queryString(params)}`);

/** GET /api/v1/tasks with filters (q, intake_id, state, …). */
export function useTasks(params: Params, enabled = true) {
  return useQuery({ queryKey: queryKeys.tasks(params), queryFn: () => fetchTasks(params), enabled });
}
