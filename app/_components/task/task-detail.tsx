"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ApiError } from "../api-client";
import { useOpenEscalationsByTask } from "../data/use-escalations";
import { useTask } from "../data/use-task";
import { useCan } from "../session/session-context";
import { ErrorMessage, Loading, PageHeader } from "../ui/page";
import { StateTimeline } from "./state-timeline";
import { TaskActions } from "./task-actions";
import { TaskAudit } from "./task-audit";
import { TaskDependencies } from "./task-dependencies";
import { TaskEditForm } from "./task-edit-form";
import { TaskFields } from "./task-fields";
import { TaskOutput } from "./task-output";
import { TaskSummary } from "./task-summary";

/** A task's page: every field, its history, audit trail and output, and the actions allowed. */
export function TaskDetail({ taskId }: { taskId: string }) {
  const { data: task, error, isPending } = useTask(taskId);
  const escalations = useOpenEscalationsByTask();
  const canEdit = useCan("tasks:edit");
  const [editing, setEditing] = useState(false);
  const t = useTranslations("task");

  if (isPending) return <Loading what={taskId} />;
  if (error) {
    return (
      <div className="p-4">
        <ErrorMessage>
          {error instanceof ApiError && error.status === 404
            ? t("notFound", { id: taskId })
            : t("couldNotLoad", { id: taskId, message: error.message })}
        </ErrorMessage>
        <Link href="/" className="mt-2 inline-block underline">
          {t("backToBoard")}
        </Link>
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title={
          <>
            <span className="muted mr-2 font-mono text-base">{task.id}</span>
            <span data-testid="task-title">{task.definition.title}</span>
          </>
        }
        actions={
          canEdit &&
          !editing && (
            <button type="button" className="btn-secondary" onClick={() => setEditing(true)}>
              {t("edit")}
            </button>
          )
        }
      />
      <div className="grid gap-4 px-4 pb-8 xl:grid-cols-[2fr_1fr]">
        <div className="flex min-w-0 flex-col gap-4">
          <TaskSummary task={task} escalation={escalations.get(task.id)} />
          <TaskActions task={task} />
          {editing && <TaskEditForm task={task} onDone={() => setEditing(false)} />}
          <TaskFields task={task} />
          <TaskOutput task={task} />
          <TaskAudit taskId={task.id} />
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <TaskDependencies task={task} />
          <StateTimeline task={task} />
        </div>
      </div>
    </>
  );
}
