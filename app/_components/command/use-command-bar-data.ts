"use client";

import { useQuery } from "@tanstack/react-query";
import type { SeedTask } from "@/lib/seed-format";
import { apiSend } from "../api-client";
import { useBoard } from "../data/use-board";
import { useTasks } from "../data/use-task";
import { useDebouncedValue } from "../hooks/use-debounced-value";

export interface Proposal {
  template_id: string;
  matched: string[];
  context: {
    client: { name?: string };
    project: { type?: string; budget_range?: string; deadline?: string };
  };
  missing: string[];
}

/**
 * What the bar offers for the text typed: matching tasks (GET /api/v1/tasks?q=), clients from the
 * board, and — for a sentence — the work it proposes (POST /api/v1/commands/propose-work).
 */
export function useCommandBarData(text: string, { canPropose }: { canPropose: boolean }) {
  const query = useDebouncedValue(text.trim(), 200);
  const tasks = useTasks({ q: query, limit: 6 }, query.length >= 2);
  const board = useBoard();
  const proposal = useQuery({
    queryKey: ["propose-work", query],
    queryFn: () =>
      apiSend<{ proposal: Proposal | null }>("/api/v1/commands/propose-work", { text: query }).then(
        (r) => r.proposal,
      ),
    enabled: canPropose && query.split(/\s+/).length >= 2,
    staleTime: 60_000,
  });
  const needle = query.toLowerCase();
  const clients = needle
    ? [...new Set((board.data?.cards ?? []).map((c) => c.clientName).filter((c): c is string => Boolean(c)))]
        .filter((c) => c.toLowerCase().includes(needle))
        .slice(0, 5)
    : [];
  const intakes = needle
    ? [...new Set((board.data?.cards ?? []).map((c) => c.intakeId).filter((c): c is string => Boolean(c)))]
        .filter((id) => id.toLowerCase().includes(needle))
        .slice(0, 5)
    : [];
  return {
    query,
    intakes,
    tasks: (tasks.data?.tasks ?? []) as SeedTask[],
    searching: tasks.isFetching || proposal.isFetching,
    clients,
    proposal: proposal.data ?? null,
  };
}
