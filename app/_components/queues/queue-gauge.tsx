"use client";

import { useTranslations } from "next-intl";
import type { QueueStatsView } from "../data/types";
import { useDuration } from "../time/sla";
import { useNow } from "../time/use-now";
import { useQueueLabel } from "../ui/labels";

function OldestWait({ since }: { since: string | null }) {
  const now = useNow();
  const formatDuration = useDuration();
  if (!since) return <>—</>;
  if (now === null) return null;
  return <>{formatDuration(now - Date.parse(since))}</>;
}

function Stat({ label, value, tone }: { label: string; value: React.ReactNode; tone?: "warn" | "bad" }) {
  const colour =
    tone === "bad"
      ? "text-red-700 dark:text-red-400"
      : tone === "warn"
        ? "text-amber-800 dark:text-amber-300"
        : "text-slate-900 dark:text-slate-100";
  return (
    <div>
      <dt className="muted text-xs">{label}</dt>
      <dd className={`font-semibold tabular-nums ${colour}`}>{value}</dd>
    </div>
  );
}

/**
 * One queue's capacity gauge: the slots in use (scheduled + in progress, the engine's
 * capacity-monitor count) against capacity, waiting, oldest wait, SLA risk.
 */
export function QueueGauge({ stats, size = "md" }: { stats: QueueStatsView; size?: "md" | "lg" }) {
  const t = useTranslations("queuesPage");
  const name = useQueueLabel()(stats.name);
  const capacity = stats.capacity;
  const inUse = stats.scheduled + stats.in_progress;
  const share = capacity ? Math.min(1, inUse / capacity) : 0;
  const full = capacity !== null && inUse >= capacity;
  const barColour = full ? "bg-red-600" : share >= 0.8 ? "bg-amber-500" : "bg-emerald-600";
  const label = t("gaugeLabel", {
    name,
    inUse,
    inProgress: stats.in_progress,
    scheduled: stats.scheduled,
    capacity: capacity ?? t("unlimited"),
  });
  return (
    <div className="flex flex-col gap-2" data-testid="queue-gauge" data-queue={stats.name}>
      <div className={`flex justify-between gap-x-2 ${size === "lg" ? "flex-col" : "items-baseline"}`}>
        <h2 className={`font-semibold ${size === "lg" ? "text-xl" : "text-base"}`}>{name}</h2>
        <span
          className={`tabular-nums ${size === "lg" ? "text-3xl font-semibold" : "text-sm"}`}
          data-testid="gauge-load"
          title={t("loadTitle", { inProgress: stats.in_progress, scheduled: stats.scheduled })}
        >
          {inUse} / {capacity ?? "∞"}
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> cannot be themed across browsers */}
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={capacity ?? Math.max(inUse, 1)}
        aria-valuenow={inUse}
        className={`w-full rounded-full bg-slate-200 dark:bg-slate-700 ${size === "lg" ? "h-4" : "h-2.5"}`}
      >
        <div
          className={`h-full rounded-full ${capacity ? barColour : "bg-sky-600"}`}
          style={{ width: `${capacity ? share * 100 : inUse > 0 ? 100 : 0}%` }}
        />
      </div>
      <dl className={`grid gap-x-2 gap-y-1 ${size === "lg" ? "grid-cols-2 text-lg" : "grid-cols-3 text-sm"}`}>
        <Stat label={t("stats.waiting")} value={<span data-testid="gauge-waiting">{stats.waiting}</span>} />
        <Stat
          label={t("stats.scheduled")}
          value={<span data-testid="gauge-scheduled">{stats.scheduled}</span>}
        />
        <Stat label={t("stats.oldest")} value={<OldestWait since={stats.oldest_waiting_since} />} />
        <Stat label={t("stats.onHold")} value={stats.on_hold} />
        <Stat
          label={t("stats.blocked")}
          value={stats.blocked}
          tone={stats.blocked > 0 ? "warn" : undefined}
        />
        <Stat label={t("stats.atRisk")} value={stats.at_risk} tone={stats.at_risk > 0 ? "warn" : undefined} />
        <Stat
          label={t("stats.breached")}
          value={stats.breached}
          tone={stats.breached > 0 ? "bad" : undefined}
        />
        <Stat
          label={t("stats.breachForecast")}
          value={<span data-testid="gauge-breach-forecast">{stats.forecast_breaches?.length ?? 0}</span>}
          tone={(stats.forecast_breaches?.length ?? 0) > 0 ? "warn" : undefined}
        />
      </dl>
    </div>
  );
}
