"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { useFormat } from "../ui/format";
import { useQueueLabel } from "../ui/labels";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[minmax(6rem,10rem)_minmax(0,1fr)] gap-2 py-1 text-sm">
      <dt className="muted">{label}</dt>
      <dd className="break-words">{children ?? "—"}</dd>
    </div>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="panel p-4">
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      <dl className="divide-y divide-slate-100 dark:divide-slate-800">{children}</dl>
    </section>
  );
}

const text = (value: string | null | undefined) => (value ? value : "—");

/** Every field of the seed format, grouped as the format groups them. */
export function TaskFields({ task }: { task: SeedTask }) {
  const t = useTranslations("task");
  const f = useTranslations("fields");
  const format = useFormat();
  const queueLabel = useQueueLabel();
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Group title={t("groups.definition")}>
        <Row label={f("type")}>{text(task.definition.type)}</Row>
        <Row label={f("skill_target")}>{text(task.definition.skill_target)}</Row>
        <Row label={f("entry_point")}>{text(task.definition.entry_point)}</Row>
        <Row label={f("description")}>
          <span className="whitespace-pre-wrap">{text(task.definition.description)}</span>
        </Row>
        <Row label={f("intake")}>
          {task.intake_id ? (
            <Link href={`/graph?intake=${encodeURIComponent(task.intake_id)}`}>{task.intake_id}</Link>
          ) : (
            "—"
          )}
        </Row>
        <Row label={f("created")}>{format.dateTime(task.created_at)}</Row>
      </Group>
      <Group title={t("groups.queue")}>
        <Row label={f("queue")}>{queueLabel(task.queue.name)}</Row>
        <Row label={f("position")}>
          {task.queue.position === null ? t("notWaiting") : `#${task.queue.position + 1}`}
        </Row>
        <Row label={f("entered")}>{format.dateTime(task.queue.entered_at)}</Row>
        <Row label={f("sla_deadline")}>{format.dateTime(task.queue.sla_deadline)}</Row>
        <Row label={f("scoreShort")}>{task.priority.score}</Row>
        <Row label={f("factorsShort")}>
          {task.priority.factors.length ? task.priority.factors.join(", ") : "—"}
        </Row>
      </Group>
      <Group title={t("groups.execution")}>
        <Row label={f("started")}>{format.dateTime(task.execution.started_at)}</Row>
        <Row label={f("estimated")}>
          {task.execution.estimated_duration_hours === null
            ? "—"
            : t("hours", { value: format.decimal(task.execution.estimated_duration_hours) })}
        </Row>
        <Row label={f("progress")}>
          {t("percent", { value: format.decimal(task.execution.progress_percent) })}
        </Row>
        <Row label={f("current_step")}>{text(task.execution.current_step)}</Row>
        <Row label={f("assigned_to")}>{text(task.execution.assigned_to)}</Row>
      </Group>
      <Group title={t("groups.context")}>
        <Row label={f("client")}>{text(task.context.client.name)}</Row>
        <Row label={f("contact")}>{text(task.context.client.contact)}</Row>
        <Row label={f("project_type")}>{text(task.context.project.type)}</Row>
        <Row label={f("budget_range")}>{text(task.context.project.budget_range)}</Row>
        <Row label={f("project_deadline")}>{format.date(task.context.project.deadline)}</Row>
      </Group>
      <Group title={t("groups.metadata")}>
        <Row label={f("version")}>
          <span data-testid="task-version">{task.metadata.version}</span>
        </Row>
        <Row label={f("last_updated")}>{format.dateTime(task.metadata.last_updated)}</Row>
        <Row label={f("updated_by")}>{task.metadata.updated_by}</Row>
      </Group>
    </div>
  );
}
