"use client";

import { useTranslations } from "next-intl";
import { useEscalationCount } from "../data/use-escalations";
import { useTabTitleCount } from "./use-tab-title-count";

/** The open escalations count beside "Escalations" in the navigation, live; also in the tab title. */
export function EscalationBadge() {
  const { data } = useEscalationCount();
  const t = useTranslations("nav");
  const open = data?.open ?? 0;
  useTabTitleCount(data?.open);
  return (
    <span
      data-testid="escalation-count"
      data-count={open}
      data-unacknowledged={data?.unacknowledged ?? 0}
      title={`${open} open, ${data?.unacknowledged ?? 0} not acknowledged`}
      className={`min-w-5 rounded-full px-1.5 text-center text-xs font-semibold ${
        open > 0
          ? "bg-red-700 text-white"
          : "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200"
      }`}
    >
      <span className="sr-only">(</span>
      {open}
      <span className="sr-only">{t("openCount")}</span>
    </span>
  );
}
