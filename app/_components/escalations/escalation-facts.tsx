"use client";

import { useTranslations } from "next-intl";
import type { EscalationView } from "@/lib/escalations";
import { isTaskState } from "@/lib/states";
import { useTaskAudit } from "../data/use-task";
import { formatItem, useFormat } from "../ui/format";
import { useStateLabel } from "../ui/state-badge";
import { useTargetLabel } from "./escalation-list";
import { useOutlookText, useTaskOutlook } from "./use-task-outlook";

/** One label / value line of the escalation detail. */
export function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1 text-sm">
      <dt className="muted">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

/** What an account manager acts on: the client, the blocker, the level, the SLA clock, the forecast. */
export function EscalationFacts({ escalation: e }: { escalation: EscalationView }) {
  const outlook = useTaskOutlook(e.escalation.task_id);
  const t = useTranslations("escalations.outlook");
  const text = useOutlookText();
  const who = useTargetLabel();
  const format = useFormat();
  const sla = outlook.data?.sla;
  const forecast = outlook.data?.forecast;
  return (
    <dl className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="escalation-facts">
      <Row label={t("client")}>
        {e.task.client_name ? (
          <span data-testid="escalation-client">
            {e.task.client_name}
            {e.task.client_contact && (
              <>
                {" — "}
                <a href={`mailto:${e.task.client_contact}`}>{e.task.client_contact}</a>
              </>
            )}
          </span>
        ) : (
          <span className="muted">{t("clientUnknown")}</span>
        )}
      </Row>
      {e.task.blocker_reason && (
        <Row label={t("blocker")}>
          {t("blockerSince", { reason: e.task.blocker_reason, since: format.dateTime(e.task.blocked_since) })}
        </Row>
      )}
      <Row label={t("level")}>
        <span data-testid="escalation-level">
          {t("levelOf", { number: e.level.number, of: e.level.of })} — {who(e.escalation.escalated_to)}
          {e.level.next_target && e.level.next_at && (
            <span className="muted">
              {" "}
              ({t("levelNext", { target: who(e.level.next_target), at: format.dateTime(e.level.next_at) })})
            </span>
          )}
        </span>
      </Row>
      {sla && (
        <Row label={t("slaClock")}>
          <span data-testid="escalation-sla-clock">{text.slaClock(sla)}</span>
        </Row>
      )}
      <Row label={t("forecast")}>
        <span data-testid="escalation-forecast">{text.forecast(forecast ?? null)}</span>
      </Row>
    </dl>
  );
}

/** The task's last changes in plain words, newest first. */
export function RecentHistory({ taskId }: { taskId: string }) {
  const audit = useTaskAudit(taskId);
  const t = useTranslations("escalations.outlook");
  const ta = useTranslations("audit");
  const stateLabel = useStateLabel();
  const format = useFormat();
  const state = (s: string) => (isTaskState(s) ? stateLabel(s) : s);
  const action = (a: string) =>
    ta.has(`actions.${a}` as "actions.task.created") ? ta(`actions.${a}` as "actions.task.created") : a;
  const entries = (audit.data?.entries ?? []).slice(0, 6);
  return (
    <section aria-labelledby="esc-history">
      <h3 id="esc-history" className="text-sm font-semibold">
        {t("history")}
      </h3>
      {entries.length === 0 ? (
        <p className="muted text-sm">{t("historyEmpty")}</p>
      ) : (
        <ul className="text-sm" data-testid="escalation-history">
          {entries.map((entry) => (
            <li key={entry.id}>
              <span className="muted">{format.dateTime(entry.at)}</span> — {entry.actor.replace("user:", "")}:{" "}
              {entry.fromState && entry.toState
                ? `${state(entry.fromState)} → ${state(entry.toState)}`
                : action(entry.action)}
              {entry.reason ? ` (${entry.reason})` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The context as recorded when the escalation was raised, beside the live one. */
export function ContextAtTheTime({ context }: { context: Record<string, unknown> }) {
  const t = useTranslations("escalations.outlook");
  const entries = Object.entries(context);
  if (entries.length === 0) return null;
  return (
    <details className="text-sm" data-testid="escalation-context-at-raise">
      <summary className="cursor-pointer font-semibold">{t("atTheTime")}</summary>
      <dl>
        {entries.map(([key, value]) => (
          <Row key={key} label={key.replaceAll("_", " ")}>
            {formatItem(value)}
          </Row>
        ))}
      </dl>
    </details>
  );
}
