import { useTranslations } from "next-intl";
import { FlagIcon } from "./icons";

const URGENCY_CLASSES: Record<string, string> = {
  critical: "bg-red-700 text-white",
  high: "bg-orange-700 text-white",
  medium: "bg-amber-200 text-amber-950 dark:bg-amber-800 dark:text-amber-50",
  low: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
};

/** An escalation's urgency; `escalated` marks a task that has an open escalation (flag icon). */
export function UrgencyBadge({ urgency, escalated = false }: { urgency: string; escalated?: boolean }) {
  const t = useTranslations("urgency");
  const label = URGENCY_CLASSES[urgency] ? t(urgency as "low") : urgency;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${
        URGENCY_CLASSES[urgency] ?? URGENCY_CLASSES.low
      }`}
      data-testid="urgency-badge"
      title={escalated ? t("openTitle", { urgency: label }) : undefined}
    >
      {escalated && (
        <>
          <FlagIcon className="h-3 w-3" />
          <span className="sr-only">{t("escalatedPrefix")}</span>
        </>
      )}
      {label}
    </span>
  );
}
