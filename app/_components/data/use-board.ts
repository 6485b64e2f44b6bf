"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { boardQueryKey, fetchBoard } from "../board/board-cache";
import type { BoardFilters } from "../board/board-model";

/**
 * The board's read model for these filters (applied by the server: a filtered column pages
 * too); kept current by the live layer (version-checked card upserts). While new filters load,
 * the previous answer stays on screen.
 */
export function useBoard(filters: BoardFilters = {}) {
  return useQuery({
    queryKey: boardQueryKey(filters),
    queryFn: () => fetchBoard(filters),
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
}
