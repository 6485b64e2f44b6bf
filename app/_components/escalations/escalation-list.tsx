"use client";

import { useTranslations } from "next-intl";
import { type EscalationView, isEscalationReason, RESPONSE_TIME_MS } from "@/lib/escalations";
import { SlaCountdown } from "../time/sla-countdown";
import { UrgencyBadge } from "../ui/escalation-badge";

/** An escalation reason in the reader's language; an unknown reason as it is. */
export function useReasonLabel(): (reason: string) => string {
  const t = useTranslations("escalations.reasons");
  return (reason) => (isEscalationReason(reason) ? t(reason) : reason);
}

/** Who an escalation is for ("account manager"), in the reader's language. */
export function useTargetLabel(): (target: string) => string {
  const t = useTranslations("escalations.targets");
  return (target) =>
    ["account_manager", "operator", "admin"].includes(target)
      ? t(target as "admin")
      : target.replace("_", " ");
}

export function responseTimeMs(urgency: string): number | null {
  return RESPONSE_TIME_MS[urgency as keyof typeof RESPONSE_TIME_MS] ?? null;
}

/** The inbox rows, most urgent first then soonest deadline; a row opens its escalation. */
export function EscalationList({
  escalations,
  selectedId,
  onSelect,
}: {
  escalations: EscalationView[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  const t = useTranslations("escalations");
  const reasonLabel = useReasonLabel();
  const targetLabel = useTargetLabel();
  if (escalations.length === 0) return <p className="muted p-4 text-sm">{t("nothing")}</p>;
  return (
    <ul className="flex flex-col gap-2" data-testid="escalation-list">
      {escalations.map((e) => {
        const selected = e.id === selectedId;
        return (
          <li key={e.id}>
            <button
              type="button"
              onClick={() => onSelect(e.id)}
              aria-current={selected ? "true" : undefined}
              className={`flex w-full flex-col gap-1 rounded-md border p-3 text-left text-sm ${
                selected
                  ? "border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950"
                  : "border-slate-200 bg-white hover:border-sky-400 dark:border-slate-700 dark:bg-slate-900"
              }`}
              data-testid="escalation-item"
              data-escalation-id={e.id}
              data-task-id={e.escalation.task_id}
            >
              <span className="flex flex-wrap items-center gap-2">
                <UrgencyBadge urgency={e.escalation.urgency} />
                <span className="font-semibold">{reasonLabel(e.escalation.reason)}</span>
                <span className="muted text-xs">{t(`status.${e.status}`)}</span>
              </span>
              <span className="w-full truncate">
                <span className="font-mono text-xs">{e.escalation.task_id}</span> {e.task.title}
              </span>
              <span className="flex flex-wrap items-center gap-2 text-xs">
                {e.status !== "RESOLVED" && (
                  <SlaCountdown
                    deadline={e.escalation.deadline}
                    totalMs={responseTimeMs(e.escalation.urgency)}
                  />
                )}
                <span className="muted">{t("for", { target: targetLabel(e.escalation.escalated_to) })}</span>
                {e.assignee && <span className="muted">· {e.assignee}</span>}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
