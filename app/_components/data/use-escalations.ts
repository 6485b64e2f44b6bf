"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { type EscalationView, urgencyRank } from "@/lib/escalations";
import { apiFetch, queryString } from "../api-client";
import { type Params, queryKeys } from "./query-keys";
import type { EscalationCount } from "./types";

export interface EscalationPage {
  escalations: EscalationView[];
  next_cursor: string | null;
}

/** Most urgent first, then the nearest deadline (the inbox's order). */
export function byUrgencyThenDeadline(a: EscalationView, b: EscalationView): number {
  return (
    urgencyRank(a.escalation.urgency) - urgencyRank(b.escalation.urgency) ||
    a.escalation.deadline.localeCompare(b.escalation.deadline)
  );
}

export function useEscalations(params: Params = {}) {
  return useQuery({
    queryKey: queryKeys.escalations(params),
    queryFn: () => apiFetch<EscalationPage>(`/api/v1/escalations${queryString({ limit: 200, ...params })}`),
    select: (page) => ({ ...page, escalations: page.escalations.slice().sort(byUrgencyThenDeadline) }),
  });
}

/** The nav badge: open (OPEN + ACKNOWLEDGED) escalations. */
export function useEscalationCount() {
  return useQuery({
    queryKey: queryKeys.escalationCount,
    queryFn: () => apiFetch<EscalationCount>("/api/v1/escalations/count"),
  });
}

/** Task id → the most urgent open escalation's urgency, for the badges on cards. */
export function useOpenEscalationsByTask(): Map<string, string> {
  const { data } = useEscalations();
  return useMemo(() => {
    const byTask = new Map<string, string>();
    for (const e of data?.escalations ?? []) {
      if (e.status === "RESOLVED") continue;
      const held = byTask.get(e.escalation.task_id);
      if (!held || urgencyRank(e.escalation.urgency) < urgencyRank(held)) {
        byTask.set(e.escalation.task_id, e.escalation.urgency);
      }
    }
    return byTask;
  }, [data]);
}
