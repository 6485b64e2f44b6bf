"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { EscalationView } from "@/lib/escalations";
import { apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { useCan } from "../session/session-context";
import { ErrorMessage, Notice } from "../ui/page";

/**
 * The action a dependency conflict's suggestion implies: remove the edge to the cancelled or
 * failed blocker. The escalation then resolves itself (its cause went away), no second click.
 */
export function RemoveDependencyAction({ escalation: e }: { escalation: EscalationView }) {
  const canEdit = useCan("tasks:edit");
  const t = useTranslations("escalations.outlook");
  const queryClient = useQueryClient();
  const context = e.escalation.context;
  const blocker = typeof context.blocker === "string" ? context.blocker : null;
  const remove = useMutation({
    mutationFn: () =>
      apiSend(
        `/api/v1/tasks/${encodeURIComponent(e.escalation.task_id)}/dependencies/${encodeURIComponent(blocker!)}`,
        undefined,
        "DELETE",
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.escalationsAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(e.escalation.task_id) });
    },
  });
  if (e.escalation.reason !== "dependency_conflict" || !blocker || context.conflict === "cycle" || !canEdit)
    return null;
  return (
    <div className="flex flex-col gap-2">
      <button
        type="button"
        className="btn-primary self-start"
        data-testid="remove-dependency"
        disabled={remove.isPending || remove.isSuccess}
        onClick={() => remove.mutate()}
      >
        {t("removeDependency", { blocker })}
      </button>
      {remove.isSuccess && <Notice>{t("removedDependency")}</Notice>}
      {remove.error && <ErrorMessage>{remove.error.message}</ErrorMessage>}
    </div>
  );
}
