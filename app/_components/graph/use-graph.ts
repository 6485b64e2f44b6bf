"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { ensureTask, fetchTasks } from "../data/use-task";
import { collectNeighbourhood, layoutGraph } from "./graph-model";

export type GraphScope = { mode: "task"; id: string } | { mode: "intake"; id: string };

/**
 * The tasks of a neighbourhood or an intake, laid out. Refreshed by the live layer: tasks that
 * changed were invalidated one by one, the others come from the cache.
 */
export function useGraph(scope: GraphScope | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.graph(scope?.mode ?? "task", scope?.id ?? ""),
    enabled: scope !== null,
    placeholderData: (previous) => previous,
    queryFn: async () => {
      if (!scope) throw new Error("no scope");
      const tasks =
        scope.mode === "intake"
          ? (await fetchTasks({ intake_id: scope.id, limit: 200 })).tasks
          : await collectNeighbourhood(scope.id, (id) => ensureTask(queryClient, id));
      return layoutGraph(tasks);
    },
  });
}

/** Add or remove a blocked_by edge; the graph and both tasks refresh after. */
export function useDependencyEdit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ blocker, dependent, remove }: { blocker: string; dependent: string; remove?: boolean }) =>
      remove
        ? apiSend(
            `/api/v1/tasks/${encodeURIComponent(dependent)}/dependencies/${encodeURIComponent(blocker)}`,
            undefined,
            "DELETE",
          )
        : apiSend(`/api/v1/tasks/${encodeURIComponent(dependent)}/dependencies`, { blocker_id: blocker }),
    onSettled: (_data, _error, { blocker, dependent }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(blocker) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(dependent) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.graphAll });
    },
  });
}
