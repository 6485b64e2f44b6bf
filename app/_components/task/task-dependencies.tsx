"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { SeedTask } from "@/lib/seed-format";
import { queryKeys } from "../data/query-keys";
import { fetchTask } from "../data/use-task";
import { useCan } from "../session/session-context";
import { ErrorMessage } from "../ui/page";
import { StateBadge } from "../ui/state-badge";
import { TaskPicker } from "../ui/task-picker";
import { useCommandErrorMessage, useTaskCommand } from "./use-task-command";

function useTasksById(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: queryKeys.task(id),
      queryFn: () => fetchTask(id),
      staleTime: 30_000,
    })),
  });
}

function TaskLinkList({
  ids,
  empty,
  onRemove,
  testId,
}: {
  ids: readonly string[];
  empty: string;
  onRemove?: (id: string) => void;
  testId: string;
}) {
  const tasks = useTasksById(ids);
  const t = useTranslations("task");
  if (ids.length === 0) return <p className="muted text-sm">{empty}</p>;
  return (
    <ul className="flex flex-col gap-1" data-testid={testId}>
      {ids.map((id, i) => {
        const task = tasks[i]?.data;
        return (
          <li key={id} className="flex flex-wrap items-center gap-2 text-sm">
            <Link href={`/tasks/${id}`} className="font-mono text-xs hover:underline">
              {id}
            </Link>
            {task && <span className="min-w-0 truncate">{task.definition.title}</span>}
            {task && <StateBadge state={task.state.current} />}
            {onRemove && (
              <button
                type="button"
                className="btn-ghost py-0 text-xs"
                onClick={() => onRemove(id)}
                aria-label={t("removeDependency", { id })}
              >
                {t("remove")}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Blockers, dependents, parent and subtasks; people with tasks:edit add and remove blockers here. */
export function TaskDependencies({ task }: { task: SeedTask }) {
  const canEdit = useCan("tasks:edit");
  const t = useTranslations("task");
  const commandErrorMessage = useCommandErrorMessage();
  const command = useTaskCommand(task.id);
  const deps = task.dependencies;
  return (
    <section aria-labelledby="deps-title" className="panel flex flex-col gap-3 p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 id="deps-title" className="text-sm font-semibold">
          {t("dependencies")}
        </h2>
        <Link
          href={`/graph?task=${task.id}`}
          className="text-sm text-sky-800 hover:underline dark:text-sky-300"
        >
          {t("openGraph")}
        </Link>
      </div>
      <div>
        <h3 className="text-xs font-semibold tracking-wide uppercase muted">{t("blockedBy")}</h3>
        <TaskLinkList
          ids={deps.blocked_by}
          empty={t("noBlockers")}
          testId="blocked-by"
          onRemove={
            canEdit
              ? (blockerId) =>
                  command.mutate({ path: `/dependencies/${encodeURIComponent(blockerId)}`, method: "DELETE" })
              : undefined
          }
        />
        {canEdit && (
          <div className="mt-2 max-w-md">
            <TaskPicker
              label={t("addBlocker")}
              exclude={[task.id, ...deps.blocked_by]}
              onPick={(blocker) =>
                command.mutate({ path: "/dependencies", body: { blocker_id: blocker.id } })
              }
            />
          </div>
        )}
      </div>
      <div>
        <h3 className="text-xs font-semibold tracking-wide uppercase muted">{t("blocks")}</h3>
        <TaskLinkList ids={deps.blocks} empty={t("blocksNothing")} testId="blocks" />
      </div>
      <div>
        <h3 className="text-xs font-semibold tracking-wide uppercase muted">{t("parent")}</h3>
        <TaskLinkList
          ids={deps.parent_task ? [deps.parent_task] : []}
          empty={t("noParent")}
          testId="parent"
        />
      </div>
      <div>
        <h3 className="text-xs font-semibold tracking-wide uppercase muted">{t("subtasks")}</h3>
        <TaskLinkList ids={deps.subtasks} empty={t("noSubtasks")} testId="subtasks" />
      </div>
      {command.error && <ErrorMessage>{commandErrorMessage(command.error)}</ErrorMessage>}
    </section>
  );
}
