"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { EscalationView } from "@/lib/escalations";
import { suggestionKey } from "@/lib/i18n/stored-texts";
import { isQueueName } from "@/lib/queues";
import { isTaskState } from "@/lib/states";
import { useCan } from "../session/session-context";
import { SlaCountdown } from "../time/sla-countdown";
import { UrgencyBadge } from "../ui/escalation-badge";
import { formatItem, useFormat } from "../ui/format";
import { useQueueLabel } from "../ui/labels";
import { StateBadge, useStateLabel } from "../ui/state-badge";
import { EscalationActions } from "./escalation-actions";
import { ContextAtTheTime, EscalationFacts, RecentHistory, Row } from "./escalation-facts";
import { responseTimeMs, useReasonLabel, useTargetLabel } from "./escalation-list";
import { RemoveDependencyAction } from "./remove-dependency-action";

/** A timestamp in a context record, shown in the reader's format rather than as ISO. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * One escalation: the seed's record (its context live, the one at the time beside it), what an
 * account manager acts on (client, blocker, level, SLA clock, forecast, recent history), and
 * every action its suggestion implies.
 */
export function EscalationDetail({ escalation: e }: { escalation: EscalationView }) {
  const canAct = useCan("escalations:act");
  const t = useTranslations("escalations");
  const to = useTranslations("escalations.outlook");
  const reasonLabel = useReasonLabel();
  const targetLabel = useTargetLabel();
  const queueLabel = useQueueLabel();
  const format = useFormat();
  const stateLabel = useStateLabel();
  const record = e.escalation;
  const context = Object.entries(record.context);
  return (
    <article
      className="panel flex flex-col gap-4 p-4"
      aria-labelledby="esc-title"
      data-testid="escalation-detail"
      data-version={e.version}
    >
      <header className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <UrgencyBadge urgency={record.urgency} />
          <span className="text-xs font-semibold uppercase" data-testid="escalation-status">
            {t(`statusUpper.${e.status}`)}
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
          <span className="muted">{t("inQueue", { queue: queueLabel(e.task.queue) })}</span>
        </p>
      </header>
      <div className="rounded-md border-l-4 border-sky-600 bg-sky-50 p-3 text-sm dark:bg-sky-950">
        <p className="font-semibold">{t("suggested")}</p>
        <p data-testid="suggested-action">
          {suggestionKey(record.suggested_action)
            ? t(`suggestions.${suggestionKey(record.suggested_action)!}`)
            : record.suggested_action}
        </p>
      </div>
      <EscalationFacts escalation={e} />
      <dl className="divide-y divide-slate-100 dark:divide-slate-800">
        <Row label={t("rows.escalatedTo")}>{targetLabel(record.escalated_to)}</Row>
        <Row label={t("rows.deadline")}>{format.dateTime(record.deadline)}</Row>
        <Row label={t("rows.raised")}>{format.dateTime(e.created_at)}</Row>
        <Row label={t("rows.assignee")}>{e.assignee ?? t("rows.nobody")}</Row>
        {e.acknowledged_at && <Row label={t("rows.acknowledged")}>{format.dateTime(e.acknowledged_at)}</Row>}
        {e.resolved_at && <Row label={t("rows.resolved")}>{format.dateTime(e.resolved_at)}</Row>}
        {e.resolution && (
          <Row label={t("rows.resolution")}>
            {e.resolution}
            {e.resolved_by === "task-orchestrator/escalation" && (
              <span className="muted"> — {to("resolvedAutomatically")}</span>
            )}
          </Row>
        )}
      </dl>
      <section aria-labelledby="esc-context">
        <h3 id="esc-context" className="text-sm font-semibold">
          {t("context")}
        </h3>
        <dl className="divide-y divide-slate-100 dark:divide-slate-800">
          {context.map(([key, value]) => (
            <Row
              key={key}
              label={
                t.has(`contextKeys.${key}` as "contextKeys.queue")
                  ? t(`contextKeys.${key}` as "contextKeys.queue")
                  : key.replaceAll("_", " ")
              }
            >
              {typeof value === "string" && /^TASK-\d{4}-\d{6}$/.test(value) ? (
                <Link href={`/tasks/${value}`}>{value}</Link>
              ) : typeof value === "string" && ISO_DATE_TIME.test(value) ? (
                format.dateTime(value)
              ) : typeof value === "string" && isTaskState(value) ? (
                stateLabel(value)
              ) : typeof value === "string" && isQueueName(value) ? (
                queueLabel(value)
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
