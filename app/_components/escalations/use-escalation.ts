"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { EscalationView } from "@/lib/escalations";
import type { EscalationActionInput } from "@/lib/schemas/escalations";
import { apiFetch, apiSend, isConflict } from "../api-client";
import { queryKeys } from "../data/query-keys";

const path = (id: string) => `/api/v1/escalations/${encodeURIComponent(id)}`;

/** One escalation (also once resolved, when it has left the open list). */
export function useEscalation(id: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.escalationsAll, "detail", id ?? ""],
    queryFn: () => apiFetch<EscalationView>(path(id!)),
    enabled: Boolean(id),
  });
}

/** POST /api/v1/escalations/{id}/actions with the version the person saw; the inbox and badge refresh after. */
export function useEscalationAction(escalation: EscalationView) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: EscalationActionInput) =>
      apiSend<EscalationView>(`${path(escalation.id)}/actions`, {
        ...input,
        expected_version: escalation.version,
      }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.escalationsAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(escalation.escalation.task_id) });
    },
  });
}

export function actionErrorMessage(error: unknown): string {
  if (isConflict(error) && error.code === "STALE_VERSION") {
    return "Someone acted on this escalation since you opened it: nothing was done. It now shows its current state — check it and try again.";
  }
  return error instanceof Error ? error.message : "The action failed";
}
