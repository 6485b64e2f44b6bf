"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type BoardQuery, boardQueryKey, fetchBoard } from "../board/board-cache";

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
