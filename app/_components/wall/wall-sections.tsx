"use client";

import { useMemo } from "react";
import { KPI_NAMES } from "@/lib/metrics";
import { isTerminal, type TaskStateName } from "@/lib/states";
import { useBoard } from "../data/use-board";
import { useEscalationCount, useEscalations } from "../data/use-escalations";
import { useMetrics, useRollingWindowStart } from "../data/use-metrics";
import { useQueueStats } from "../data/use-queues";
import { reasonLabel, responseTimeMs } from "../escalations/escalation-list";
import { KpiTile } from "../metrics/kpi-tile";
import { QueueGauge } from "../queues/queue-gauge";
import { queueSlaMs } from "../time/sla";
import { SlaCountdown } from "../time/sla-countdown";
import { useNow } from "../time/use-now";
import { UrgencyBadge } from "../ui/escalation-badge";
import { StateBadge } from "../ui/state-badge";
import { atRiskCards } from "./at-risk";

const DAY_MS = 86_400_000;
const LIST_MAX = 8;

function Panel({ title, count, children }: { title: string; count?: number; children: React.ReactNode }) {
  return (
    <section className="flex min-h-0 flex-col gap-3 rounded-xl bg-slate-900 p-4" aria-label={title}>
      <h2 className="flex items-center gap-3 text-2xl font-semibold">
        {title}
        {count !== undefined && (
          <span
            className="rounded-full bg-slate-700 px-3 text-xl tabular-nums"
            data-testid={`wall-count-${title}`}
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
  if (error) return <p role="alert">KPIs unavailable: {error.message}</p>;
  if (!data) return <p>Loading KPIs…</p>;
  return (
    <section
      aria-label="Key metrics, last 24 hours"
      className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7"
    >
      {KPI_NAMES.map((name) => {
        const kpi = data.overall[name];
        const extra = name === "throughput" ? `${data.overall.throughput.completed} done in 24 h` : undefined;
        return <KpiTile key={name} kpi={kpi} size="lg" extra={extra} />;
      })}
    </section>
  );
}

export function WallQueues() {
  const { data } = useQueueStats();
  return (
    <section aria-label="Queues" className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
      {data?.queues.map((q) => (
        <div key={q.name} className="rounded-xl bg-slate-900 p-4">
          <QueueGauge stats={q} size="lg" />
        </div>
      ))}
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
  const now = useNow();
  const slot = Math.floor(now / 15_000);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed every 15 s (slot), not every tick
  const cards = useMemo(() => atRiskCards(data?.cards ?? [], now), [data, slot]);
  return (
    <Panel title="At risk of SLA breach" count={Math.max(cards.length, atRiskTotal(data?.counts))}>
      {cards.length === 0 ? (
        <p className="text-xl text-emerald-300">Every task is within its SLA.</p>
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
            <li className="text-lg text-slate-300">and {cards.length - LIST_MAX} more</li>
          )}
        </ul>
      )}
    </Panel>
  );
}

export function WallEscalations() {
  const { data } = useEscalations();
  const count = useEscalationCount();
  const list = data?.escalations ?? [];
  return (
    <Panel title="Open escalations" count={count.data?.open ?? list.length}>
      {list.length === 0 ? (
        <p className="text-xl text-emerald-300">Nothing needs a human.</p>
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
