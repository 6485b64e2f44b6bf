"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { QUEUE_NAMES } from "@/lib/queues";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { useCan } from "../session/session-context";
import { fieldMessage } from "../ui/field";
import { useQueueLabel } from "../ui/labels";

/** A one-line "add a task" on the board; the full form is /tasks/new. */
export function QuickAddTask() {
  return useCan("tasks:create") ? <QuickAddFields /> : null;
}

function QuickAddFields() {
  const queryClient = useQueryClient();
  const t = useTranslations("board.quick");
  const tq = useQueueLabel();
  const [title, setTitle] = useState("");
  const [queue, setQueue] = useState("normal");
  const create = useMutation({
    mutationFn: () =>
      apiSend<{ task: SeedTask }>("/api/v1/tasks", { definition: { title }, queue: { name: queue } }),
    onSuccess: () => {
      setTitle("");
      void queryClient.invalidateQueries({ queryKey: queryKeys.board });
    },
  });
  const fields = create.error instanceof ApiError ? create.error.fields : [];
  const titleError = fieldMessage(fields, "definition.title");
  const queueError = fieldMessage(fields, "queue.name");

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-start gap-2" aria-label={t("label")} noValidate>
      <div className="flex flex-col">
        <label htmlFor="new-task-title" className="sr-only">
          {t("title")}
        </label>
        <input
          id="new-task-title"
          name="title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder={t("placeholder")}
          aria-invalid={titleError ? true : undefined}
          aria-describedby={titleError ? "new-task-title-error" : undefined}
          className="input w-72"
        />
        {titleError && (
          <span id="new-task-title-error" className="field-error" role="alert">
            {titleError}
          </span>
        )}
      </div>
      <div className="flex flex-col">
        <label htmlFor="new-task-queue" className="sr-only">
          {t("queue")}
        </label>
        <select
          id="new-task-queue"
          name="queue"
          value={queue}
          onChange={(e) => setQueue(e.target.value)}
          className="input w-36"
        >
          {QUEUE_NAMES.filter((q) => q !== "scheduled").map((q) => (
            <option key={q} value={q}>
              {tq(q)}
            </option>
          ))}
        </select>
        {queueError && (
          <span className="field-error" role="alert">
            {queueError}
          </span>
        )}
      </div>
      <button type="submit" disabled={create.isPending} className="btn-primary">
        {t("create")}
      </button>
      <Link href="/tasks/new" className="btn-secondary">
        {t("fullForm")}
      </Link>
      {create.error && !titleError && !queueError && (
        <span className="text-sm text-red-700 dark:text-red-400" role="alert">
          {create.error.message}
        </span>
      )}
    </form>
  );
}
