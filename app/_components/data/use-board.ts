"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api-client";
import { type BoardQuery, boardQueryKey, fetchBoard } from "../board/board-cache";
import { useCan } from "../session/session-context";

/**
 * The board's read model for these filters (applied by the server: a filtered column pages
 * too); kept current by the live layer (version-checked card upserts). While new filters load,
 * the previous answer stays on screen.
 */
export function useBoard(filters: BoardQuery = {}, options: { refetchMs?: number } = {}) {
  return useQuery({
    refetchInterval: options.refetchMs,
    queryKey: boardQueryKey(filters),
    queryFn: () => fetchBoard(filters),
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}

export interface BoardFilterOptions {
  skills: string[];
  clients: string[];
  intakes: string[];
  assignees: string[];
}

/**
 * The filters' options among all the live tasks (GET /board/filters), not only the loaded
 * cards; read again every minute (a new value also shows at once from the loaded cards). Not
 * for the wall key, which may not filter on clients or assignees.
 */
export function useBoardFilterOptions({ enabled = true }: { enabled?: boolean } = {}) {
  const allowed = useCan("tasks:read");
  return useQuery({
    queryKey: ["board-filters"],
    queryFn: () => apiFetch<BoardFilterOptions>("/api/v1/board/filters"),
    enabled: allowed && enabled,
    staleTime: 60_000,
    refetchInterval: 60_000,
  });
}
