"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { EscalationView } from "@/lib/escalations";
import type { EscalationActionInput } from "@/lib/schemas/escalations";
import { apiFetch, apiSend, isConflict } from "../api-client";
import { queryKeys } from "../data/query-keys";

const path = (id: string) => `/api/v1/escalations/${encodeURIComponent(id)}`;
const detailKey = (id: string) => [...queryKeys.escalationsAll, "detail", id];

/** One escalation (also once resolved, when it has left the open list). */
export function useEscalation(id: string | undefined) {
  return useQuery({
    queryKey: detailKey(id ?? ""),
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
    // The answer is the escalation as it is now: held at once, so a second action right after
    // carries the new version instead of being refused as someone else's change.
    onSuccess: (updated) => queryClient.setQueryData(detailKey(escalation.id), updated),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.escalationsAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(escalation.escalation.task_id) });
    },
  });
}

/** What to tell the person when an action was refused (the server's message is in their language). */
export function useActionErrorMessage(): (error: unknown) => string {
  const t = useTranslations("escalations");
  return (error) => {
    if (isConflict(error) && error.code === "STALE_VERSION") return t("stale");
    return error instanceof Error ? error.message : t("failed");
  };
}
