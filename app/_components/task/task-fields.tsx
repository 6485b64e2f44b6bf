import Link from "next/link";
import type { ReactNode } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { formatDate, formatDateTime } from "../ui/format";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-2 py-1 text-sm">
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
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Group title="Definition">
        <Row label="Type">{text(task.definition.type)}</Row>
        <Row label="Skill target">{text(task.definition.skill_target)}</Row>
        <Row label="Entry point">{text(task.definition.entry_point)}</Row>
        <Row label="Description">
          <span className="whitespace-pre-wrap">{text(task.definition.description)}</span>
        </Row>
        <Row label="Intake">
          {task.intake_id ? (
            <Link href={`/graph?intake=${encodeURIComponent(task.intake_id)}`}>{task.intake_id}</Link>
          ) : (
            "—"
          )}
        </Row>
        <Row label="Created">{formatDateTime(task.created_at)}</Row>
      </Group>
      <Group title="Queue and priority">
        <Row label="Queue">{task.queue.name}</Row>
        <Row label="Position">
          {task.queue.position === null ? "not waiting" : `#${task.queue.position + 1}`}
        </Row>
        <Row label="Entered queue">{formatDateTime(task.queue.entered_at)}</Row>
        <Row label="SLA deadline">{formatDateTime(task.queue.sla_deadline)}</Row>
        <Row label="Score">{task.priority.score}</Row>
        <Row label="Factors">{task.priority.factors.length ? task.priority.factors.join(", ") : "—"}</Row>
      </Group>
      <Group title="Execution">
        <Row label="Started">{formatDateTime(task.execution.started_at)}</Row>
        <Row label="Estimated">
          {task.execution.estimated_duration_hours === null
            ? "—"
            : `${task.execution.estimated_duration_hours} h`}
        </Row>
        <Row label="Progress">{task.execution.progress_percent} %</Row>
        <Row label="Current step">{text(task.execution.current_step)}</Row>
        <Row label="Assigned to">{text(task.execution.assigned_to)}</Row>
      </Group>
      <Group title="Context">
        <Row label="Client">{text(task.context.client.name)}</Row>
        <Row label="Contact">{text(task.context.client.contact)}</Row>
        <Row label="Project type">{text(task.context.project.type)}</Row>
        <Row label="Budget range">{text(task.context.project.budget_range)}</Row>
        <Row label="Project deadline">{formatDate(task.context.project.deadline)}</Row>
      </Group>
      <Group title="Metadata">
        <Row label="Version">
          <span data-testid="task-version">{task.metadata.version}</span>
        </Row>
        <Row label="Last updated">{formatDateTime(task.metadata.last_updated)}</Row>
        <Row label="Updated by">{task.metadata.updated_by}</Row>
      </Group>
    </div>
  );
}
