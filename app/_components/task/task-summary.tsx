"use client";

import { useTranslations } from "next-intl";
import type { SeedTask } from "@/lib/seed-format";
import { isTerminal } from "@/lib/states";
import { SlaCountdown } from "../time/sla-countdown";
import { UrgencyBadge } from "../ui/escalation-badge";
import { useFormat } from "../ui/format";
import { useQueueLabel } from "../ui/labels";
import { ProgressBar } from "../ui/progress-bar";
import { StateBadge } from "../ui/state-badge";
import { TaskOutlook } from "./task-outlook";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="muted text-xs">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

/** The task at a glance: state, queue, priority, SLA, progress, assignee, escalation. */
export function TaskSummary({ task, escalation }: { task: SeedTask; escalation?: string }) {
  const t = useTranslations("task");
  const f = useTranslations("fields");
  const format = useFormat();
  const queueLabel = useQueueLabel();
  const slaTotal =
    task.queue.sla_deadline && task.queue.entered_at
      ? Date.parse(task.queue.sla_deadline) - Date.parse(task.queue.entered_at)
      : null;
  return (
    <section aria-label={t("summary")} className="panel flex flex-col gap-3 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <StateBadge state={task.state.current} />
        {escalation && <UrgencyBadge urgency={escalation} escalated />}
        {!isTerminal(task.state.current) && (
          <SlaCountdown deadline={task.queue.sla_deadline} totalMs={slaTotal} size="lg" />
        )}
      </div>
      {!isTerminal(task.state.current) && <TaskOutlook taskId={task.id} />}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Fact label={f("queue")}>
          {queueLabel(task.queue.name)}
          {task.queue.position !== null && <span className="muted"> · #{task.queue.position + 1}</span>}
        </Fact>
        <Fact label={f("score")}>
          <span data-testid="priority-score">{task.priority.score}</span>
        </Fact>
        <Fact label={f("assigned_to")}>{task.execution.assigned_to ?? "—"}</Fact>
        <Fact label={f("current_step")}>{task.execution.current_step ?? "—"}</Fact>
      </dl>
      <div>
        <div className="muted mb-1 flex justify-between text-xs">
          <span>{t("progress")}</span>
          <span>{t("percent", { value: format.decimal(task.execution.progress_percent) })}</span>
        </div>
        <ProgressBar percent={task.execution.progress_percent} />
      </div>
    </section>
  );
}
