"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchBoard } from "../board/board-cache";
import { queryKeys } from "./query-keys";

/** The board's read model; kept current by the live layer (version-checked card upserts). */
export function useBoard() {
  return useQuery({ queryKey: queryKeys.board, queryFn: fetchBoard, staleTime: Number.POSITIVE_INFINITY });
}
