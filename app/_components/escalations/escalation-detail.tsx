"use client";

import Link from "next/link";
import type { EscalationView } from "@/lib/escalations";
import { isTaskState } from "@/lib/states";
import { useCan } from "../session/session-context";
import { SlaCountdown } from "../time/sla-countdown";
import { UrgencyBadge } from "../ui/escalation-badge";
import { formatDateTime, formatItem } from "../ui/format";
import { StateBadge } from "../ui/state-badge";
import { EscalationActions } from "./escalation-actions";
import { ContextAtTheTime, EscalationFacts, RecentHistory, Row } from "./escalation-facts";
import { reasonLabel, responseTimeMs } from "./escalation-list";
import { RemoveDependencyAction } from "./remove-dependency-action";
import { t } from "./strings";

/**
 * One escalation: the seed's record (its context live, the one at the time beside it), what an
 * account manager acts on (client, blocker, level, SLA clock, forecast, recent history), and
 * every action its suggestion implies.
 */
export function EscalationDetail({ escalation: e }: { escalation: EscalationView }) {
  const canAct = useCan("escalations:act");
  const record = e.escalation;
  const context = Object.entries(record.context);
  return (
    <article
      className="panel flex flex-col gap-4 p-4"
      aria-labelledby="esc-title"
      data-testid="escalation-detail"
    >
      <header className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <UrgencyBadge urgency={record.urgency} />
          <span className="text-xs font-semibold uppercase" data-testid="escalation-status">
            {e.status}
          </span>
          {e.status !== "RESOLVED" && (
            <SlaCountdown deadline={record.deadline} totalMs={responseTimeMs(record.urgency)} size="lg" />
          )}
        </div>
        <h2 id="esc-title" className="text-lg font-semibold">
          {reasonLabel(record.reason)} — <Link href={`/tasks/${record.task_id}`}>{record.task_id}</Link>
        </h2>
        <p className="flex flex-wrap items-center gap-2 text-sm">
          {e.task.title}
          {isTaskState(e.task.state) && <StateBadge state={e.task.state} />}
          <span className="muted">in {e.task.queue}</span>
        </p>
      </header>
      <div className="rounded-md border-l-4 border-sky-600 bg-sky-50 p-3 text-sm dark:bg-sky-950">
        <p className="font-semibold">Suggested action</p>
        <p>{record.suggested_action}</p>
      </div>
      <EscalationFacts escalation={e} />
      <dl className="divide-y divide-slate-100 dark:divide-slate-800">
        <Row label="Escalated to">{record.escalated_to.replace("user:", "").replace("_", " ")}</Row>
        <Row label="Deadline">{formatDateTime(record.deadline)}</Row>
        <Row label="Raised">{formatDateTime(e.created_at)}</Row>
        <Row label="Assignee">{e.assignee ?? "nobody yet"}</Row>
        {e.acknowledged_at && <Row label="Acknowledged">{formatDateTime(e.acknowledged_at)}</Row>}
        {e.resolved_at && <Row label="Resolved">{formatDateTime(e.resolved_at)}</Row>}
        {e.resolution && (
          <Row label="Resolution">
            {e.resolution}
            {e.resolved_by === "task-orchestrator/escalation" && (
              <span className="muted"> — {t("resolvedAutomatically")}</span>
            )}
          </Row>
        )}
      </dl>
      <section aria-labelledby="esc-context">
        <h3 id="esc-context" className="text-sm font-semibold">
          Context
        </h3>
        <dl className="divide-y divide-slate-100 dark:divide-slate-800">
          {context.map(([key, value]) => (
            <Row key={key} label={key.replaceAll("_", " ")}>
              {typeof value === "string" && /^TASK-\d{4}-\d{6}$/.test(value) ? (
                <Link href={`/tasks/${value}`}>{value}</Link>
              ) : (
                formatItem(value)
              )}
            </Row>
          ))}
        </dl>
        <ContextAtTheTime context={e.context_at_raise} />
      </section>
      <RecentHistory taskId={record.task_id} />
      {e.status !== "RESOLVED" && <RemoveDependencyAction escalation={e} />}
      {canAct && e.status !== "RESOLVED" && <EscalationActions key={e.id} escalation={e} />}
    </article>
  );
}
