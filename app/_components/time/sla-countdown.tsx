"use client";

import { useTranslations } from "next-intl";
import { useFormat } from "../ui/format";
import { ClockIcon } from "../ui/icons";
import { type SlaLevel, slaLevel, useDuration } from "./sla";
import { useNow } from "./use-now";

const LEVEL_CLASSES: Record<SlaLevel, string> = {
  ok: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  low: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  imminent: "bg-orange-200 text-orange-950 dark:bg-orange-900 dark:text-orange-100",
  breached: "bg-red-700 text-white dark:bg-red-800",
};

interface Props {
  /** ISO deadline; nothing is shown without one. */
  deadline: string | null;
  /** The SLA's whole length in ms, to colour by the share left; null when unknown. */
  totalMs: number | null;
  size?: "sm" | "lg";
}

/** A ticking SLA countdown against server time, coloured by what is left. */
export function SlaCountdown({ deadline, totalMs, size = "sm" }: Props) {
  const now = useNow();
  const t = useTranslations("sla");
  const formatDuration = useDuration();
  const format = useFormat();
  if (!deadline || now === null) return null;
  const deadlineMs = Date.parse(deadline);
  const level = slaLevel(deadlineMs, now, totalMs);
  const remaining = deadlineMs - now;
  const text = remaining > 0 ? formatDuration(remaining) : `−${formatDuration(remaining)}`;
  const label =
    remaining > 0
      ? t("left", { time: formatDuration(remaining), level: t(level) })
      : t("breachedAgo", { time: formatDuration(remaining) });
  return (
    <span
      className={`inline-flex items-center gap-1 rounded font-mono tabular-nums ${
        size === "lg" ? "px-2 py-1 text-base" : "px-1.5 py-0.5 text-xs"
      } ${LEVEL_CLASSES[level]}`}
      title={t("deadline", { label, at: format.dateTime(deadlineMs) })}
      data-testid="sla-countdown"
      data-level={level}
    >
      <ClockIcon />
      <time dateTime={deadline} aria-hidden="true">
        {text}
      </time>
      <span className="sr-only">{label}</span>
    </span>
  );
}
