"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { KPI_NAMES } from "@/lib/metrics";
import { isTerminal, type TaskStateName } from "@/lib/states";
import type { QueueStatsView } from "../data/types";
import { useBoard } from "../data/use-board";
import { useEscalationCount, useEscalations } from "../data/use-escalations";
import { useMetrics, useRollingWindowStart } from "../data/use-metrics";
import { useQueueStats } from "../data/use-queues";
import { responseTimeMs, useReasonLabel } from "../escalations/escalation-list";
import { KpiTile } from "../metrics/kpi-tile";
import { queueSlaMs } from "../time/sla";
import { SlaCountdown } from "../time/sla-countdown";
import { useNow } from "../time/use-now";
import { UrgencyBadge } from "../ui/escalation-badge";
import { useQueueLabel } from "../ui/labels";
import { StateBadge } from "../ui/state-badge";
import { atRiskCards } from "./at-risk";

const DAY_MS = 86_400_000;
const LIST_MAX = 8;

function Panel({
  id,
  title,
  count,
  children,
}: {
  /** Stable, language-free name for tests (wall-count-<id>). */
  id: string;
  title: string;
  count?: number;
  children: React.ReactNode;
}) {
  return (
    <section
      className="flex min-h-0 flex-1 flex-col gap-3 overflow-hidden rounded-xl bg-slate-900 p-4"
      aria-label={title}
    >
      <h2 className="flex items-center gap-3 text-2xl font-semibold">
        {title}
        {count !== undefined && (
          <span
            className="rounded-full bg-slate-700 px-3 text-xl tabular-nums"
            data-testid={`wall-count-${id}`}
          >
            {count}
          </span>
        )}
      </h2>
      {children}
    </section>
  );
}

/** The seven KPIs over the last 24 hours against their targets. */
export function WallKpis() {
  const from = useRollingWindowStart(DAY_MS);
  const { data, error } = useMetrics({ from });
  const t = useTranslations("wall");
  if (error) return <p role="alert">{t("kpisUnavailable", { message: error.message })}</p>;
  if (!data) return <p>{t("loadingKpis")}</p>;
  return (
    <section aria-label={t("kpis")} className="grid grid-cols-2 gap-[0.8vw] md:grid-cols-4 xl:grid-cols-7">
      {KPI_NAMES.map((name) => {
        const kpi = data.overall[name];
        const extra =
          name === "throughput" ? t("doneIn24h", { count: data.overall.throughput.completed }) : undefined;
        return <KpiTile key={name} kpi={kpi} size="lg" extra={extra} />;
      })}
    </section>
  );
}

/**
 * One queue on one line, for the wall: its load against capacity, and what a room needs from
 * across it — how many wait, how many are at risk, how many breached.
 */
function WallQueueRow({ stats }: { stats: QueueStatsView }) {
  const t = useTranslations("queuesPage");
  const name = useQueueLabel()(stats.name);
  const inUse = stats.scheduled + stats.in_progress;
  const share = stats.capacity ? Math.min(1, inUse / stats.capacity) : inUse > 0 ? 1 : 0;
  const full = stats.capacity !== null && inUse >= stats.capacity;
  return (
    <li
      className="grid grid-cols-[7.5em_minmax(7em,1fr)_auto] items-center gap-x-[0.8vw]"
      data-testid="queue-gauge"
      data-queue={stats.name}
    >
      <span className="truncate text-lg font-semibold">{name}</span>
      <span className="flex items-center gap-[0.5vw]">
        <span className="h-[0.6rem] min-w-[3em] flex-1 rounded-full bg-slate-700" aria-hidden>
          <span
            className={`block h-full rounded-full ${full ? "bg-red-600" : share >= 0.8 ? "bg-amber-500" : "bg-emerald-600"}`}
            style={{ width: `${share * 100}%` }}
          />
        </span>
        <span className="text-lg whitespace-nowrap tabular-nums" data-testid="gauge-load">
          {inUse} / {stats.capacity ?? "∞"}
        </span>
      </span>
      <span className="flex gap-[0.8vw] text-base whitespace-nowrap tabular-nums">
        <span>
          <span className="text-slate-400">{t("stats.waiting")} </span>
          <span data-testid="gauge-waiting">{stats.waiting}</span>
        </span>
        <span className={stats.at_risk > 0 ? "text-amber-300" : ""}>
          <span className="text-slate-400">{t("stats.atRisk")} </span>
          {stats.at_risk}
        </span>
        <span className={stats.breached > 0 ? "font-semibold text-red-400" : ""}>
          <span className="text-slate-400">{t("stats.breached")} </span>
          {stats.breached}
        </span>
      </span>
    </li>
  );
}

export function WallQueues() {
  const { data } = useQueueStats();
  const t = useTranslations("wall");
  return (
    <section
      aria-label={t("queues")}
      className="flex min-h-0 flex-col gap-3 overflow-hidden rounded-xl bg-slate-900 p-4"
    >
      <h2 className="text-2xl font-semibold">{t("queues")}</h2>
      <ul className="flex flex-col gap-[0.9vw]">
        {data?.queues.map((q) => (
          <WallQueueRow key={q.name} stats={q} />
        ))}
      </ul>
    </section>
  );
}

/** Live tasks the server counts at risk (its counts of the at-risk board). */
const atRiskTotal = (counts: Record<string, number> | undefined) =>
  counts
    ? Object.entries(counts).reduce(
        (n, [state, count]) => (isTerminal(state as TaskStateName) ? n : n + count),
        0,
      )
    : 0;

export function WallAtRisk() {
  // The server picks the at-risk tasks (every column's first page of them, and their count).
  // Time alone makes a task at risk (no event): read again every minute.
  const { data } = useBoard({ at_risk: "true" }, { refetchMs: 60_000 });
  const t = useTranslations("wall");
  const now = useNow();
  const slot = now === null ? null : Math.floor(now / 15_000);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed every 15 s (slot), not every tick
  const cards = useMemo(() => (now === null ? [] : atRiskCards(data?.cards ?? [], now)), [data, slot]);
  return (
    <Panel id="at-risk" title={t("atRisk")} count={Math.max(cards.length, atRiskTotal(data?.counts))}>
      {cards.length === 0 ? (
        <p className="text-xl text-emerald-300">{t("allWithin")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {cards.slice(0, LIST_MAX).map((c) => (
            <li key={c.id} className="flex items-center gap-3 text-xl">
              <SlaCountdown deadline={c.slaDeadline} totalMs={queueSlaMs(c.queue)} size="lg" />
              <span className="font-mono text-base text-slate-300">{c.id}</span>
              <span className="min-w-0 flex-1 truncate">{c.title}</span>
              <StateBadge state={c.state} />
            </li>
          ))}
          {cards.length > LIST_MAX && (
            <li className="text-lg text-slate-300">{t("more", { count: cards.length - LIST_MAX })}</li>
          )}
        </ul>
      )}
    </Panel>
  );
}

export function WallEscalations() {
  const { data } = useEscalations();
  const count = useEscalationCount();
  const t = useTranslations("wall");
  const reasonLabel = useReasonLabel();
  const list = data?.escalations ?? [];
  return (
    <Panel id="escalations" title={t("openEscalations")} count={count.data?.open ?? list.length}>
      {list.length === 0 ? (
        <p className="text-xl text-emerald-300">{t("nothingHuman")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {list.slice(0, LIST_MAX).map((e) => (
            <li key={e.id} className="flex items-center gap-3 text-xl">
              <UrgencyBadge urgency={e.escalation.urgency} />
              <span className="font-semibold">{reasonLabel(e.escalation.reason)}</span>
              <span className="min-w-0 flex-1 truncate">
                <span className="font-mono text-base text-slate-300">{e.escalation.task_id}</span>{" "}
                {e.task.title}
              </span>
              <SlaCountdown
                deadline={e.escalation.deadline}
                totalMs={responseTimeMs(e.escalation.urgency)}
                size="lg"
              />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
