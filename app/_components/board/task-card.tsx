import { useTranslations } from "next-intl";
import { memo } from "react";
import type { BoardCard } from "@/lib/board";
import { isTerminal } from "@/lib/states";
import { IntentLink } from "../shell/intent-link";
import { queueSlaMs } from "../time/sla";
import { SlaCountdown } from "../time/sla-countdown";
import { UrgencyBadge } from "../ui/escalation-badge";
import { BlockedIcon } from "../ui/icons";
import { useQueueLabel } from "../ui/labels";
import { ProgressBar } from "../ui/progress-bar";
import { BreachForecast } from "./breach-forecast";

/** One task on the board; the whole card opens the task (its title is the link). */
export const TaskCard = memo(function TaskCard({ card }: { card: BoardCard }) {
  const live = !isTerminal(card.state);
  const t = useTranslations("board.card");
  const tq = useQueueLabel();
  return (
    <article
      className="relative rounded-md border border-slate-200 bg-white p-3 text-sm shadow-sm hover:border-sky-400 dark:border-slate-700 dark:bg-slate-900 dark:hover:border-sky-500"
      data-testid="task-card"
      data-task-id={card.id}
      data-state={card.state}
      aria-label={`${card.id} ${card.title}`}
    >
      <header className="flex items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400">
        <span className="font-mono">{card.id}</span>
        <span className="flex items-center gap-1">
          {card.escalationUrgency && <UrgencyBadge urgency={card.escalationUrgency} escalated />}
          <span
            title={t("priorityScore")}
            className="rounded bg-slate-100 px-1.5 py-0.5 font-semibold text-slate-800 dark:bg-slate-800 dark:text-slate-100"
          >
            <span className="sr-only">{t("priority")}</span>
            {card.priorityScore}
          </span>
        </span>
      </header>
      <h3 className="mt-1 leading-snug font-medium">
        <IntentLink
          href={`/tasks/${card.id}`}
          className="after:absolute after:inset-0 after:content-[''] hover:underline focus-visible:outline-none focus-visible:after:rounded-md focus-visible:after:outline-2 focus-visible:after:outline-sky-600"
        >
          {card.title}
        </IntentLink>
      </h3>
      <dl className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
        <div>
          <dt className="sr-only">{t("queue")}</dt>
          <dd>{tq(card.queue)}</dd>
        </div>
        {card.position !== null && (
          <div>
            <dt className="sr-only">{t("position")}</dt>
            <dd>#{card.position + 1}</dd>
          </div>
        )}
        {card.clientName && (
          <div>
            <dt className="sr-only">{t("client")}</dt>
            <dd className="font-medium" data-testid="card-client">
              {card.clientName}
            </dd>
          </div>
        )}
        {card.intakeId && (
          <div>
            <dt className="sr-only">{t("intake")}</dt>
            <dd className="font-mono text-[11px]">{card.intakeId}</dd>
          </div>
        )}
        {card.skillTarget && (
          <div>
            <dt className="sr-only">{t("skill")}</dt>
            <dd>{card.skillTarget}</dd>
          </div>
        )}
        {card.assignedTo && (
          <div>
            <dt className="sr-only">{t("assignee")}</dt>
            <dd>@{card.assignedTo}</dd>
          </div>
        )}
        {card.waitingOn > 0 && (
          <div>
            <dt className="sr-only">{t("waitingOn")}</dt>
            <dd className="text-amber-800 dark:text-amber-300" data-testid="waiting-on">
              {t("waitsOn", { count: card.waitingOn })}
            </dd>
          </div>
        )}
        {live && card.slaDeadline && (
          <div>
            <dt className="sr-only">{t("sla")}</dt>
            <dd>
              <SlaCountdown deadline={card.slaDeadline} totalMs={queueSlaMs(card.queue)} />
            </dd>
          </div>
        )}
      </dl>
      {live && <BreachForecast taskId={card.id} />}
      {card.blockerReason && (
        <p className="mt-2 text-xs text-red-800 dark:text-red-300" data-testid="blocker-reason">
          <BlockedIcon className="mr-1 inline h-3.5 w-3.5 align-[-2px]" />
          <span className="sr-only">{t("blocked")}</span>
          {card.blockerReason}
        </p>
      )}
      {(card.state === "IN_PROGRESS" || (live && card.progressPercent > 0)) && (
        <div className="mt-2">
          <ProgressBar percent={card.progressPercent} />
        </div>
      )}
    </article>
  );
});
