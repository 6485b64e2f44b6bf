"use client";

import { useQuery } from "@tanstack/react-query";
import type { SeedTask } from "@/lib/seed-format";
import { apiSend } from "../api-client";
import { useBoardFilterOptions } from "../data/use-board";
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
 * What the bar offers for the text typed: matching tasks (GET /api/v1/tasks?q=), the live tasks'
 * clients and intakes (GET /board/filters), and — for a sentence — the work it proposes
 * (POST /api/v1/commands/propose-work). Nothing is read while the bar is closed: on every page
 * load it would race the page's own reads, and the board's would then hydrate with data its
 * server HTML did not have.
 */
export function useCommandBarData(
  text: string,
  { canPropose, open }: { canPropose: boolean; open: boolean },
) {
  const query = useDebouncedValue(text.trim(), 200);
  const tasks = useTasks({ q: query, limit: 6 }, query.length >= 2);
  const live = useBoardFilterOptions({ enabled: open }).data;
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
  const matching = (values: string[] = []) =>
    needle ? values.filter((v) => v.toLowerCase().includes(needle)).slice(0, 5) : [];
  const clients = matching(live?.clients);
  const intakes = matching(live?.intakes);
  return {
    query,
    intakes,
    tasks: (tasks.data?.tasks ?? []) as SeedTask[],
    searching: tasks.isFetching || proposal.isFetching,
    clients,
    proposal: proposal.data ?? null,
  };
}
